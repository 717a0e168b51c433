// The sign-in scripts take their settings from the environment, so a test harness and a shell use them the same way.
export function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`Set ${name}.`);
    process.exit(2);
  }

  return value;
}
