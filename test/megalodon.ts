// megalodon, the second real Mastodon client the API tests drive.
import megalodon from "megalodon";

// megalodon is CommonJS: Node's loader hands over `module.exports` as the default export, vitest unwraps it.
export const generator = ("default" in megalodon ? megalodon.default : megalodon) as unknown as typeof megalodon.default;
