// Device icons on the canvas. The shapes come with the network payload (SVG paths in a 24×24 box, owned by
// eNMS.Core's DeviceIcons). Each icon × status colour × size is drawn once into a small bitmap, which is then copied
// for every device that shows it: ten thousand devices cost ten thousand image copies, not ten thousand path fills.
const GLYPH = "#ffffff";
const MAX_SPRITES = 600; // icons × statuses × sizes × themes stay far below this; past it the cache starts over

export class IconSprites {
  /** @param shapes [{ key, label, path }] in payload order (devices' icon numbers index it). */
  constructor(shapes) {
    this.keys = shapes.map(s => s.key);
    this.paths = shapes.map(s => new Path2D(s.path));
    this.cache = new Map();
  }

  /** Draws icon `icon` in a disc of radius `r` (CSS px) filled with `fill`, ringed with `edge`, centred on (x, y). */
  draw(ctx, icon, fill, edge, x, y, r, dpr) {
    const key = `${icon}|${fill}|${edge}|${r}|${dpr}`;
    let sprite = this.cache.get(key);
    if (!sprite) {
      if (this.cache.size >= MAX_SPRITES) this.cache.clear();
      sprite = this.render(icon, fill, edge, r, dpr);
      this.cache.set(key, sprite);
    }
    ctx.drawImage(sprite.canvas, x - sprite.half, y - sprite.half, 2 * sprite.half, 2 * sprite.half);
  }

  render(icon, fill, edge, r, dpr) {
    const half = r + 1; // room for the 1 px ring
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = Math.ceil(2 * half * dpr);
    const ctx = canvas.getContext("2d");
    ctx.scale(canvas.width / (2 * half), canvas.height / (2 * half));
    ctx.beginPath();
    ctx.arc(half, half, r, 0, 2 * Math.PI);
    ctx.fillStyle = fill;
    ctx.fill();
    ctx.strokeStyle = edge;
    ctx.lineWidth = 1;
    ctx.stroke();
    // The 24-unit box, shrunk so its corners stay inside the disc.
    const scale = (2 * r * 0.72) / 24;
    ctx.translate(half - 12 * scale, half - 12 * scale);
    ctx.scale(scale, scale);
    ctx.fillStyle = GLYPH;
    ctx.fill(this.paths[icon] ?? this.paths[this.paths.length - 1], "evenodd");
    return { canvas, half };
  }
}
