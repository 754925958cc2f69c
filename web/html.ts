// The one place where htm is bound to Preact's `h`, so every component writes markup the same way.
//
// htm does not type-check the props of components used inside a template (`<${Layout} …>` is `any`
// to TypeScript). So markup and a file's own private helpers go through html``, while components
// imported from another file are used as `h(Component, props)`, where a missing or misspelt prop is a
// type error.
import htmModule from "htm";
import { h } from "preact";

// htm ships one .d.ts for its ESM and CommonJS builds. Under "module": "nodenext" TypeScript reads it as
// CommonJS and types the default import as the whole module ({ default: htm }), while Node's ESM loader
// (and Vite, and esbuild) hand us htm itself. The cast states what we get at run time.
const htm = htmModule as unknown as typeof htmModule.default;

export const html = htm.bind(h);
