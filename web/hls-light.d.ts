// hls.js's light build ships no declaration of its own; it has the full build's API (issue #13 player).
declare module "hls.js/light" {
  import Hls from "hls.js";
  export default Hls;
}
