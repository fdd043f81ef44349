// `koa2` is an npm alias of koa@2 (a dev dependency, so the suite runs on both majors). Its API
// as used here (new Koa(), use, listen, ctx) is the one Koa 3's types describe.
declare module "koa2" {
  import Koa from "koa";
  export default Koa;
}
