// Preloaded into cognito-local by the test fixture (node --require): the emulator exits when its parent's end of stdin
// closes, so a test host that crashes or is killed leaves no server behind.
process.stdin.on("end", () => process.exit(0)).on("error", () => process.exit(0)).resume();
