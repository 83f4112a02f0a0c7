// Validate many .docx files in one Node process with the Open XML SDK (@ooxml-tools/validate).
// Usage: node ooxml-validate.mjs VALIDATOR_INDEX_JS FILE...  → one JSON object on stdout:
// {"FILE": [{"id", "description", "part", "xpath"}, ...], ...}; a file that cannot be read
// gets [{"id": "read", "description": message}].
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

const [indexPath, ...files] = process.argv.slice(2);
const { default: validate } = await import(pathToFileURL(indexPath).href);
const results = {};
for (const file of files) {
  try {
    const errors = await validate(await readFile(file), "docx", "Microsoft365");
    results[file] = errors.map((e) => ({
      id: e.id,
      description: e.description,
      part: e.path ? e.path.partUri : "",
      xpath: e.path ? e.path.xpath : "",
    }));
  } catch (error) {
    results[file] = [{ id: "read", description: String(error), part: "", xpath: "" }];
  }
}
// Exit once stdout is flushed: the .NET runtime would otherwise keep Node alive.
process.stdout.write(JSON.stringify(results), () => process.exit(0));
