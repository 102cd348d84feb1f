// The drawing over a shared screen's video: where the picture is inside the video element (with
// object-fit: contain it is letterboxed), points as fractions 0..1 of that picture, the lines as
// SVG polylines in a 1×1 viewBox stretched over it, and a pacer that sends at most ~20 times a
// second. Both parties place the same layer over their video, so the marks land on the same spot.

const SVG = "http://www.w3.org/2000/svg";

/** The picture's box inside a video element, in the element's offset coordinates; null before it has a size. */
export function contentBox(video) {
  const { clientWidth: width, clientHeight: height, videoWidth, videoHeight } = video;
  if (!width || !height || !videoWidth || !videoHeight) return null;
  const scale = Math.min(width / videoWidth, height / videoHeight);
  const w = videoWidth * scale;
  const h = videoHeight * scale;
  return { left: video.offsetLeft + (width - w) / 2, top: video.offsetTop + (height - h) / 2, width: w, height: h };
}

/** Places the layer exactly over the video's picture; false when the video has no picture yet. */
export function placeOver(layer, video) {
  const box = video && contentBox(video);
  layer.hidden = !box;
  if (!box) return false;
  Object.assign(layer.style, { left: `${box.left}px`, top: `${box.top}px`, width: `${box.width}px`, height: `${box.height}px` });
  return true;
}

/** Where a pointer event is on the layer, as [x, y] from 0 to 1 (four decimals: under a pixel on any screen). */
export function pointOn(layer, event) {
  const rect = layer.getBoundingClientRect();
  const fraction = (v, from, size) => Math.round(Math.min(1, Math.max(0, (v - from) / size)) * 10_000) / 10_000;
  return [fraction(event.clientX, rect.left, rect.width), fraction(event.clientY, rect.top, rect.height)];
}

/** A new line of `color` in the SVG, with its first points (flat x, y pairs). */
export function addLine(svg, color, points = []) {
  const line = document.createElementNS(SVG, "polyline");
  line.setAttribute("class", `ink-${color}`);
  line.setAttribute("points", "");
  svg.append(line);
  extendLine(line, points);
  return line;
}

export function extendLine(line, points) {
  const pairs = [];
  for (let i = 0; i + 1 < points.length; i += 2) pairs.push(`${points[i]},${points[i + 1]}`);
  line.setAttribute("points", `${line.getAttribute("points")} ${pairs.join(" ")}`.trim());
}

/** Calls `send` at most once per `ms`, and once more after the last poke, so the final position arrives. */
export class Pacer {
  #timer = null;
  #due = false;

  constructor(ms, send) {
    this.ms = ms;
    this.send = send;
  }

  poke() {
    if (this.#timer) {
      this.#due = true;
      return;
    }
    this.send();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#due) {
        this.#due = false;
        this.poke();
      }
    }, this.ms);
  }

  /** Sends now (the pen was lifted). */
  flush() {
    clearTimeout(this.#timer);
    this.#timer = null;
    this.#due = false;
    this.send();
  }

  stop() {
    clearTimeout(this.#timer);
    this.#timer = null;
  }
}
