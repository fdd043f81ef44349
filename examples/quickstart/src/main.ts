import { runQuickstart } from "./quickstart.js";

console.log("Tessera quickstart: the life of a session on the in-memory store\n");
runQuickstart().then(
  () => console.log("\nDone. Next: the README's quick start shows the same in your own code."),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
