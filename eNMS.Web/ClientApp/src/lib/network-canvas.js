// What the world map and the topology share: the device data, a canvas that follows its container's size, pan and
// zoom (d3-zoom), hit-testing through a quadtree of what was last drawn, and graphical selection (click,
// shift-click, box, lasso, pools) reported to the Blazor component in chunks.
import { select } from "d3-selection";
import { zoom, zoomIdentity } from "d3-zoom";
import { quadtree } from "d3-quadtree";
import { IconSprites } from "./device-icons.js";

// Indexed by DeviceRunStatus: never run, succeeded, failed, running.
export const STATUS_COLORS = ["#78909c", "#2e7d32", "#c62828", "#1565c0"];
const STATUS_RANK = [0, 1, 3, 2];
/** The status a group of devices shows: failed over running over succeeded over never run. */
export const worse = (a, b) => (STATUS_RANK[a] >= STATUS_RANK[b] ? a : b);

export const SELECTED_COLOR = "#ff9800";

// The canvas draws its own background and labels, so it follows the app's theme itself: the layout sets
// data-theme="dark" or "light" on <html> (the user's choice, or the OS setting for "system").
const PALETTES = {
  light: { background: "#fafafa", ocean: "#dbe7ef", land: "#f4f1ea", borders: "#b5aa9c", links: "rgba(55, 71, 79, 0.45)", label: "#263238", markerEdge: "#ffffff" },
  dark: { background: "#1e1e24", ocean: "#15202b", land: "#2b3138", borders: "#56606b", links: "rgba(176, 190, 197, 0.5)", label: "#e0e0e0", markerEdge: "#1e1e24" },
};

/** The colours of the current theme. */
export const palette = () => PALETTES[document.documentElement.dataset.theme === "dark" ? "dark" : "light"];
// Blazor Server refuses JS-to-.NET messages over 32 kB: a selection of thousands of ids goes in chunks.
const SELECTION_CHUNK = 2000;
const CLICK_TOLERANCE = 4;

/** Parses the /api/views/network payload into typed arrays indexed by device. */
export function readGraph(payload) {
  const d = payload.devices;
  const count = d.id.length;
  const indexOf = new Map();
  d.id.forEach((id, i) => indexOf.set(id, i));
  const links = new Int32Array(payload.links.source.length * 2);
  // The interface names at each end of each kept link, in the order of `links` (two per link).
  const interfaces = [];
  // Links by colour ("" = the theme's), so each colour is one stroke: [{ color, links: [link number…] }].
  const byColor = new Map();
  let n = 0;
  for (let i = 0; i < payload.links.source.length; i++) {
    const s = indexOf.get(payload.links.source[i]);
    const t = indexOf.get(payload.links.destination[i]);
    if (s !== undefined && t !== undefined) {
      const color = payload.links.color?.[i] ?? "";
      if (!byColor.has(color)) byColor.set(color, []);
      byColor.get(color).push(n / 2);
      links[n++] = s;
      links[n++] = t;
      interfaces.push(payload.links.sourceInterface?.[i] ?? "", payload.links.destinationInterface?.[i] ?? "");
    }
  }
  return {
    count,
    ids: Int32Array.from(d.id),
    names: d.name,
    latitude: d.latitude,
    longitude: d.longitude,
    status: Uint8Array.from(d.status),
    icons: Uint8Array.from(d.icon ?? []),
    sprites: new IconSprites(payload.icons ?? []),
    links: links.subarray(0, n),
    linkColors: [...byColor].map(([color, numbers]) => ({ color, links: Int32Array.from(numbers) })),
    interfaces,
    legend: payload.legend ?? null,
    indexOf,
    pools: new Map(payload.pools.map(p => [p.id, p.deviceIds.map(id => indexOf.get(id)).filter(i => i !== undefined)])),
  };
}

/**
 * Strokes the links whose two ends are shown and placed (x, y: scene coordinates by device), one path per colour.
 * A link between two selected devices gets a halo in the selection colour under its own colour, so it stays
 * distinguishable however it is coloured. Says on the host which colours it drew (for tests).
 */
export function drawLinks(ctx, view, x, y, t) {
  const g = view.graph;
  const shown = (a, b) => view.isVisible(a) && view.isVisible(b) && !Number.isNaN(x[a]) && !Number.isNaN(x[b]);
  const path = (numbers, keep) => {
    ctx.beginPath();
    let count = 0;
    for (const l of numbers) {
      const a = g.links[2 * l], b = g.links[2 * l + 1];
      if (!shown(a, b) || (keep && !keep(a, b))) continue;
      ctx.moveTo(x[a] * t.k + t.x, y[a] * t.k + t.y);
      ctx.lineTo(x[b] * t.k + t.x, y[b] * t.k + t.y);
      count++;
    }
    return count;
  };
  const selected = view.selected;
  const drawn = [];
  ctx.lineCap = "round";
  for (const group of g.linkColors) {
    if (path(group.links, (a, b) => selected[a] && selected[b])) {
      ctx.strokeStyle = SELECTED_COLOR;
      ctx.lineWidth = 5;
      ctx.stroke();
    }
  }
  for (const group of g.linkColors) {
    if (!path(group.links)) continue;
    ctx.strokeStyle = group.color || palette().links;
    ctx.lineWidth = group.color ? 1.75 : 1;
    ctx.stroke();
    drawn.push(group.color || "theme");
  }
  ctx.lineCap = "butt";
  view.host.dataset.linkColors = drawn.sort().join(" ");
}

const MAX_INTERFACE_LABELS = 300; // interface names drawn for at most this many links at once
const INTERFACE_AT = 0.25; // how far along a link, from its device, that device's interface name sits

/**
 * Each end's interface name, a quarter along its link from its device, for the links with an end on screen whose two
 * devices are drawn on their own (`alone(i)`: not inside a group marker) and which are at least `minLength` px long
 * on screen (shorter ones have no room). Says on the host how many links got names, and keeps the names drawn (tests).
 */
export function drawInterfaceNames(ctx, view, x, y, t, width, height, { alone = () => true, minLength = 0 } = {}) {
  const g = view.graph;
  const names = [];
  if (minLength !== Infinity) {
    ctx.font = "10px Roboto, Arial, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillStyle = palette().label;
    const onScreen = (px, py) => px >= 0 && py >= 0 && px <= width && py <= height;
    for (let n = 0; n < g.links.length && names.length < 2 * MAX_INTERFACE_LABELS; n += 2) {
      const a = g.links[n], b = g.links[n + 1];
      const [source, destination] = [g.interfaces[n], g.interfaces[n + 1]];
      if (!source && !destination) continue;
      if (!view.isVisible(a) || !view.isVisible(b) || Number.isNaN(x[a]) || Number.isNaN(x[b]) || !alone(a) || !alone(b)) continue;
      const ax = x[a] * t.k + t.x, ay = y[a] * t.k + t.y;
      const bx = x[b] * t.k + t.x, by = y[b] * t.k + t.y;
      if ((!onScreen(ax, ay) && !onScreen(bx, by)) || Math.hypot(bx - ax, by - ay) < minLength) continue;
      if (source) ctx.fillText(source, ax + (bx - ax) * INTERFACE_AT, ay + (by - ay) * INTERFACE_AT);
      if (destination) ctx.fillText(destination, bx + (ax - bx) * INTERFACE_AT, by + (ay - by) * INTERFACE_AT);
      names.push(source, destination);
    }
  }
  view.interfaceNames = names;
  view.host.dataset.interfaceLabels = String(names.length / 2);
}

function insidePolygon(x, y, polygon) {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * A view over the network. `scene` draws and says where devices are:
 *   scene.attach(view)                      once the data is loaded
 *   scene.draw(ctx, transform, width, height) returns the markers drawn: [{ x, y, r, members: [device index…] }] in screen px
 *   scene.position(i)                       a device's position in the scene's own coordinates, or null
 *   scene.draggable                         true when markers can be dragged (topology): scene.drag(marker, x, y, phase)
 */
export class NetworkCanvas {
  constructor(host, dotnet, scene) {
    this.host = host;
    this.dotnet = dotnet;
    this.scene = scene;
    this.tool = "pan";
    host.dataset.tool = "pan";
    this.transform = zoomIdentity;
    this.markers = [];
    this.attached = false; // true once the scene has its data (the map its base map): nothing is drawn before
    this.markerOffset = [0, 0];
    this.hits = null;
    this.gesture = null;
    this.visible = null; // null: every device; otherwise Uint8Array of devices shown (pool filter)
    this.canvas = document.createElement("canvas");
    this.canvas.className = "enms-network-canvas";
    this.canvas.setAttribute("data-testid", "network-canvas");
    this.canvas.style.touchAction = "none";
    host.replaceChildren(this.canvas);
    this.ctx = this.canvas.getContext("2d");
    this.zoom = zoom()
      .scaleExtent([0.05, 4000])
      .filter(event => this.zoomAllowed(event))
      .on("zoom", event => {
        this.transform = event.transform;
        if (event.sourceEvent) this.userMoved = true;
        this.requestRender({ moved: true });
      });
    select(this.canvas).call(this.zoom).on("dblclick.zoom", null);
    this.canvas.addEventListener("pointerdown", e => this.pointerDown(e));
    this.canvas.addEventListener("pointermove", e => this.pointerMove(e));
    this.canvas.addEventListener("pointerup", e => this.pointerUp(e));
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(host);
    this.themeObserver = new MutationObserver(() => this.requestRender());
    this.themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    this.resize();
    // A test hook: browser tests ask where a device is drawn.
    host.enmsView = this;
  }

  async load(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`Loading ${url} failed: HTTP ${response.status}`);
    this.graph = readGraph(await response.json());
    this.selected = new Uint8Array(this.graph.count);
    await this.scene.attach(this);
    this.attached = true;
    this.fit();
    this.renderNow();
    this.host.dataset.devices = String(this.graph.count);
    this.host.dataset.links = String(this.graph.links.length / 2);
    this.host.dataset.ready = "true";
    return { devices: this.graph.count, placed: this.placedCount(), links: this.graph.links.length / 2, legend: this.graph.legend };
  }

  placedCount() {
    let placed = 0;
    for (let i = 0; i < this.graph.count; i++) if (this.scene.position(i)) placed++;
    return placed;
  }

  isVisible(i) {
    return this.visible === null || this.visible[i] === 1;
  }

  resize() {
    const dpr = window.devicePixelRatio || 1;
    this.width = Math.max(1, this.host.clientWidth);
    this.height = Math.max(1, this.host.clientHeight);
    this.canvas.width = Math.round(this.width * dpr);
    this.canvas.height = Math.round(this.height * dpr);
    this.canvas.style.width = `${this.width}px`;
    this.canvas.style.height = `${this.height}px`;
    this.dpr = dpr;
    this.zoom.extent([[0, 0], [this.width, this.height]]);
    this.layer = null;
    // The data may be framed before the host has its final size (a host not laid out yet is 0 px wide: the devices
    // would be fitted into one pixel and stay there). Until the user moves the view, every new size frames them again.
    if (this.attached && !this.userMoved) this.fit();
    this.renderNow();
  }

  /** Frames the devices shown (or `bounds` in scene coordinates [[x0, y0], [x1, y1]]). */
  fit(bounds) {
    let [[x0, y0], [x1, y1]] = bounds ?? this.bounds() ?? this.scene.worldBounds?.() ?? [[0, 0], [1, 1]];
    if (x1 - x0 < 1e-6) { x0 -= 1; x1 += 1; }
    if (y1 - y0 < 1e-6) { y0 -= 1; y1 += 1; }
    const pad = 40;
    const k = Math.min((this.width - 2 * pad) / (x1 - x0), (this.height - 2 * pad) / (y1 - y0));
    const t = zoomIdentity.translate(this.width / 2, this.height / 2).scale(Math.max(k, 1e-3)).translate(-(x0 + x1) / 2, -(y0 + y1) / 2);
    select(this.canvas).call(this.zoom.transform, t);
  }

  bounds() {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let i = 0; i < this.graph.count; i++) {
      const p = this.isVisible(i) && this.scene.position(i);
      if (!p) continue;
      if (p[0] < x0) x0 = p[0];
      if (p[0] > x1) x1 = p[0];
      if (p[1] < y0) y0 = p[1];
      if (p[1] > y1) y1 = p[1];
    }
    return x0 === Infinity ? null : [[x0, y0], [x1, y1]];
  }

  /**
   * Draws at the next animation frame. `moved`: only the view moved (pan, zoom) or an overlay changed (box, lasso),
   * the picture itself did not, so a pan can reuse it; anything else (positions, selection, statuses, filter, base
   * map) redraws it.
   */
  requestRender({ moved = false } = {}) {
    if (!moved && this.layer) this.layer.stale = true;
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderNow();
    });
  }

  // Panning 5,000 devices and 10,000 links redrew every one of them each frame: without a GPU that alone filled a
  // frame. The scene is drawn instead into a layer larger than the canvas by half its size on every side; while the
  // scale and the picture stay the same, a pan only copies the layer at an offset, and the layer is drawn again when
  // the pan leaves its margin.
  renderNow() {
    if (!this.attached || this.disposed) return;
    const t = this.transform;
    let layer = this.layer;
    const redrawn = !layer || layer.stale || layer.k !== t.k || Math.abs(t.x - layer.x) > layer.mx || Math.abs(t.y - layer.y) > layer.my;
    if (redrawn) {
      layer = this.layer = this.drawLayer(t, layer);
    }
    const ctx = this.ctx;
    const [dx, dy] = [t.x - layer.x, t.y - layer.y];
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.drawImage(layer.canvas, Math.round((dx - layer.mx) * this.dpr), Math.round((dy - layer.my) * this.dpr));
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    // Markers stay in layer coordinates; hit-testing shifts the point instead of every marker.
    this.markerOffset = [dx - layer.mx, dy - layer.my];
    this.markers = layer.markers;
    this.drawGesture(ctx);
    const view = `${t.k} ${t.x} ${t.y} ${this.width} ${this.height}`;
    if (redrawn || view !== this.countedView) {
      // The readiness signal tests wait on (never on time): how many devices the canvas now shows on screen, after
      // the frame that placed them. A browser test on a loaded machine waits for this number, however long it takes.
      this.countedView = view;
      // Counted only once the canvas has the host's laid-out size: a frame drawn for a host not laid out yet (0 px)
      // says nothing about what the user will see.
      const laidOut = this.host.clientWidth === this.width && this.host.clientHeight === this.height;
      this.host.dataset.onScreen = laidOut ? String(this.countOnScreen()) : "0";
    }
    if (!this.firstFrame && this.markers.length > 0) {
      // Time to first paint, for the UI benchmark and anyone profiling: navigation start → devices on screen.
      this.firstFrame = true;
      performance.mark("enms:first-frame");
    }
  }

  /** Devices shown (pool filter) whose position lies inside the canvas at the current pan and zoom. */
  countOnScreen() {
    const t = this.transform;
    let count = 0;
    for (let i = 0; i < this.graph.count; i++) {
      const p = this.isVisible(i) && this.scene.position(i);
      if (!p) continue;
      const [x, y] = [t.applyX(p[0]), t.applyY(p[1])];
      if (x >= 0 && x <= this.width && y >= 0 && y <= this.height) count++;
    }
    return count;
  }

  drawLayer(t, previous) {
    const [mx, my] = [Math.ceil(this.width / 2), Math.ceil(this.height / 2)];
    const [width, height] = [this.width + 2 * mx, this.height + 2 * my];
    const canvas = previous?.canvas ?? document.createElement("canvas");
    if (canvas.width !== Math.round(width * this.dpr) || canvas.height !== Math.round(height * this.dpr)) {
      canvas.width = Math.round(width * this.dpr);
      canvas.height = Math.round(height * this.dpr);
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    // The scene draws the layer as if it were a canvas whose origin is (mx, my) above and left of the real one.
    const markers = this.scene.draw(ctx, zoomIdentity.translate(t.x + mx, t.y + my).scale(t.k), width, height);
    this.hits = null;
    return { canvas, markers, k: t.k, x: t.x, y: t.y, mx, my, stale: false };
  }

  /** The marker under a screen point, if any. */
  markerAt(x, y) {
    if (!this.hits) {
      this.hits = quadtree(this.markers, m => m.x, m => m.y);
      this.maxRadius = this.markers.reduce((r, m) => Math.max(r, m.r), 0);
    }
    [x, y] = [x - this.markerOffset[0], y - this.markerOffset[1]];
    const found = this.hits.find(x, y, this.maxRadius + 3);
    return found && Math.hypot(found.x - x, found.y - y) <= found.r + 3 ? found : null;
  }

  /** The icon a device was last drawn with (its key), or null when it was drawn as a dot or inside a group marker. */
  drawnIcon(deviceId) {
    if (!this.attached) return null;
    const i = this.graph.indexOf.get(deviceId);
    const marker = this.markers.find(m => m.members.length === 1 && m.members[0] === i);
    return marker?.icon === undefined ? null : this.graph.sprites.keys[marker.icon];
  }

  /** Where a device is drawn, in CSS pixels relative to the canvas (for tests and tooltips). */
  screenPosition(deviceId) {
    const i = this.graph.indexOf.get(deviceId);
    const p = i === undefined ? null : this.scene.position(i);
    if (!p) return null;
    const rect = this.canvas.getBoundingClientRect();
    const [x, y] = this.transform.apply(p);
    return { x: rect.left + x, y: rect.top + y };
  }

  zoomAllowed(event) {
    if (event.type === "wheel") return true;
    if (event.button || event.shiftKey || event.altKey || this.tool !== "pan") return false;
    if (this.scene.draggable && event.type === "mousedown") {
      const [x, y] = this.local(event);
      if (this.markerAt(x, y)) return false;
    }
    return true;
  }

  local(event) {
    const rect = this.canvas.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  }

  pointerDown(event) {
    if (event.button !== 0 || !this.attached) return;
    const [x, y] = this.local(event);
    const marker = this.markerAt(x, y);
    let mode = "click";
    if (event.shiftKey || this.tool === "box") mode = "box";
    if (event.altKey || this.tool === "lasso") mode = "lasso";
    if (mode === "click" && marker && this.scene.draggable) mode = "drag";
    this.gesture = { mode, x0: x, y0: y, x, y, moved: false, marker, additive: event.shiftKey, points: [[x, y]] };
    if (mode !== "click") this.canvas.setPointerCapture(event.pointerId);
  }

  pointerMove(event) {
    const g = this.gesture;
    if (!g) return;
    const [x, y] = this.local(event);
    g.x = x;
    g.y = y;
    if (Math.hypot(x - g.x0, y - g.y0) > CLICK_TOLERANCE) g.moved = true;
    if (g.mode === "lasso") g.points.push([x, y]);
    if (g.mode === "drag" && g.moved) {
      this.scene.drag(g.marker, ...this.transform.invert([x, y]), "move");
    }
    if (g.mode !== "click") this.requestRender({ moved: g.mode !== "drag" });
  }

  pointerUp(event) {
    const g = this.gesture;
    if (!g) return;
    this.gesture = null;
    if (this.canvas.hasPointerCapture(event.pointerId)) this.canvas.releasePointerCapture(event.pointerId);
    if (g.mode === "drag" && g.moved) {
      this.scene.drag(g.marker, ...this.transform.invert([g.x, g.y]), "end");
      this.requestRender();
      return;
    }
    if (!g.moved) {
      const marker = this.markerAt(g.x0, g.y0);
      const members = marker ? marker.members : [];
      if (g.additive) this.toggle(members);
      else this.replace(members);
    } else if (g.mode === "box") {
      const [ax, ay] = this.transform.invert([Math.min(g.x0, g.x), Math.min(g.y0, g.y)]);
      const [bx, by] = this.transform.invert([Math.max(g.x0, g.x), Math.max(g.y0, g.y)]);
      this.selectWhere(p => p[0] >= ax && p[0] <= bx && p[1] >= ay && p[1] <= by, g.additive);
    } else if (g.mode === "lasso" && g.points.length > 2) {
      const polygon = g.points.map(p => this.transform.invert(p));
      this.selectWhere(p => insidePolygon(p[0], p[1], polygon), g.additive);
    }
    this.requestRender();
  }

  drawGesture(ctx) {
    const g = this.gesture;
    if (!g || !g.moved || (g.mode !== "box" && g.mode !== "lasso")) return;
    ctx.save();
    ctx.strokeStyle = SELECTED_COLOR;
    ctx.fillStyle = "rgba(255, 152, 0, 0.08)";
    ctx.lineWidth = 1.5;
    ctx.setLineDash([5, 4]);
    ctx.beginPath();
    if (g.mode === "box") {
      ctx.rect(Math.min(g.x0, g.x), Math.min(g.y0, g.y), Math.abs(g.x - g.x0), Math.abs(g.y - g.y0));
    } else {
      g.points.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
      ctx.closePath();
    }
    ctx.fill();
    ctx.stroke();
    ctx.restore();
  }

  selectWhere(predicate, additive) {
    if (!additive) this.selected.fill(0);
    for (let i = 0; i < this.graph.count; i++) {
      const p = this.isVisible(i) && this.scene.position(i);
      if (p && predicate(p)) this.selected[i] = 1;
    }
    this.selectionChanged();
  }

  replace(members) {
    this.selected.fill(0);
    for (const i of members) this.selected[i] = 1;
    this.selectionChanged();
  }

  toggle(members) {
    const allSelected = members.every(i => this.selected[i]);
    for (const i of members) this.selected[i] = allSelected ? 0 : 1;
    this.selectionChanged();
  }

  // Called from Blazor -------------------------------------------------------------------------------------------

  setTool(tool) {
    this.tool = tool;
    // The tool is picked in Blazor and reaches the canvas after a round trip to the server: a test draws its box
    // once this says the canvas has it (under load, a drag sent earlier was a pan that moved the map away).
    this.host.dataset.tool = tool;
    this.canvas.style.cursor = tool === "pan" ? "grab" : "crosshair";
  }

  /** Selects a pool's devices (adding them to the selection when `additive`). */
  selectPool(poolId, additive) {
    const members = (this.graph.pools.get(poolId) ?? []).filter(i => this.isVisible(i));
    if (!additive) this.selected.fill(0);
    for (const i of members) this.selected[i] = 1;
    this.selectionChanged();
    this.requestRender();
  }

  /** Shows only a pool's devices (null: every device); hidden devices leave the selection. */
  filterPool(poolId) {
    if (poolId === null || poolId === undefined) {
      this.visible = null;
    } else {
      this.visible = new Uint8Array(this.graph.count);
      for (const i of this.graph.pools.get(poolId) ?? []) this.visible[i] = 1;
    }
    this.visibleVersion = (this.visibleVersion ?? 0) + 1;
    let deselected = false;
    for (let i = 0; i < this.graph.count; i++) {
      if (this.selected[i] && !this.isVisible(i)) {
        this.selected[i] = 0;
        deselected = true;
      }
    }
    this.scene.visibilityChanged?.();
    this.userMoved = false;
    this.fit();
    this.requestRender();
    if (deselected) this.selectionChanged();
  }

  /** Replaces the selection with these device ids (the panel removed one, or cleared it). */
  setSelection(deviceIds) {
    this.selected.fill(0);
    for (const id of deviceIds) {
      const i = this.graph.indexOf.get(id);
      if (i !== undefined) this.selected[i] = 1;
    }
    this.requestRender();
  }

  /** Recolours devices as their runs progress: a flat array [deviceId, status, deviceId, status, …]. */
  setStatuses(flat) {
    for (let n = 0; n + 1 < flat.length; n += 2) {
      const i = this.graph.indexOf.get(flat[n]);
      if (i !== undefined) this.graph.status[i] = flat[n + 1];
    }
    this.scene.statusesChanged?.();
    this.requestRender();
  }

  selectedIds() {
    const ids = [];
    for (let i = 0; i < this.graph.count; i++) if (this.selected[i]) ids.push(this.graph.ids[i]);
    return ids;
  }

  async selectionChanged() {
    const ids = this.selectedIds();
    this.host.dataset.selected = String(ids.length);
    const version = (this.selectionVersion = (this.selectionVersion ?? 0) + 1);
    for (let start = 0; start === 0 || start < ids.length; start += SELECTION_CHUNK) {
      if (version !== this.selectionVersion) return; // a newer selection superseded this one
      const last = start + SELECTION_CHUNK >= ids.length;
      await this.dotnet.invokeMethodAsync("SelectionChanged", version, ids.slice(start, start + SELECTION_CHUNK), start === 0, last);
    }
  }

  dispose() {
    this.disposed = true;
    this.resizeObserver.disconnect();
    this.themeObserver.disconnect();
    if (this.frame) cancelAnimationFrame(this.frame);
    this.scene.dispose?.();
    select(this.canvas).on(".zoom", null);
    delete this.host.enmsView;
  }
}
