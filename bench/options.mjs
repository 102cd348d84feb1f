// A bench's command-line switches: `--name=value`, or `--name` alone for "1".

/** The switches given after the script's name, by name. */
export const switches = () =>
  Object.fromEntries(
    process.argv
      .slice(2)
      .filter((a) => a.startsWith("--"))
      .map((a) => {
        const [name, value = "1"] = a.slice(2).split("=");
        return [name, value];
      }),
  );
