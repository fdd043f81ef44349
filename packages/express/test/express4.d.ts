// `express4` is an npm alias of express@4 (a dev dependency, so the suite runs on both majors).
// It ships no types; the surface the tests use (express(), json(), use, get, post, listen) is the
// same in 4 and 5, so Express 5's types describe it.
declare module "express4" {
  import express from "express";
  export default express;
}
