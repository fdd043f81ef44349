import { isAuthError } from "@tessera/core";
import type { RunningApp } from "./app.js";
import { StartupError, banner, optionsFromEnv, startApp } from "./app.js";

async function main(): Promise<void> {
  let running: RunningApp;
  try {
    running = await startApp(optionsFromEnv(process.env));
  } catch (error) {
    // A configuration problem deserves one readable line, not a stack trace.
    if (error instanceof StartupError || isAuthError(error)) {
      console.error(`Cannot start: ${error.message}`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
  console.log(banner(running));

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1); // a second Ctrl-C does not wait
    stopping = true;
    console.log(`\n${signal}: finishing open requests, then exiting.`);
    running.close().then(
      () => console.log("Stopped."),
      (error: unknown) => {
        console.error(error);
        process.exitCode = 1;
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
