// The world map: an offline Natural Earth base map (shipped in wwwroot/dist) drawn on a canvas, devices at their
// coordinates, links as lines, devices grouped into markers with a count (co-located devices always, nearby ones
// when zoomed out), coloured by their last run. An online tile server is used only when configured.
import { geoMercator, geoPath } from "d3-geo";
import { feature, mesh } from "topojson-client";
import { NetworkCanvas, STATUS_COLORS, SELECTED_COLOR, palette, worse, drawLinks, drawInterfaceNames } from "./lib/network-canvas.js";

// Web Mercator with the world in [0, 256]²: the same coordinates as slippy-map tiles at zoom 0.
const WORLD = 256;
const projection = geoMercator().scale(WORLD / (2 * Math.PI)).translate([WORLD / 2, WORLD / 2]);
const CELL_PX = 26; // devices closer than this on screen share a marker
const DETAILED_ZOOM = 24; // past this scale the 1:50m base map replaces the 1:110m one
const MAX_TILES = 64;
const DEVICE_RADIUS = 10; // a marker of one device: its icon in a disc of its status colour
const INTERFACE_LENGTH = 140; // a link shows its interface names once it is this long on screen (px)

class WorldMapScene {
  constructor(options) {
    this.baseUrl = options.assetsUrl ?? "dist/";
    this.tileUrl = options.tileUrl || null;
    this.tiles = new Map();
    this.clusterKey = null;
  }

  async attach(view) {
    this.view = view;
    const g = view.graph;
    this.x = new Float64Array(g.count).fill(NaN);
    this.y = new Float64Array(g.count).fill(NaN);
    for (let i = 0; i < g.count; i++) {
      const lat = g.latitude[i];
      const lon = g.longitude[i];
      if (lat === null || lon === null || Math.abs(lat) > 85.05 || Math.abs(lon) > 180) continue;
      const [x, y] = projection([lon, lat]);
      this.x[i] = x;
      this.y[i] = y;
    }
    this.coarse = await this.loadBaseMap("countries-110m.json");
  }

  worldBounds() {
    return [[0, 20], [WORLD, WORLD - 20]];
  }

  async loadBaseMap(file) {
    const response = await fetch(this.baseUrl + file);
    if (!response.ok) throw new Error(`Loading the base map ${file} failed: HTTP ${response.status}`);
    const topology = await response.json();
    const path = geoPath(projection);
    return {
      land: new Path2D(path(feature(topology, topology.objects.land))),
      borders: new Path2D(path(mesh(topology, topology.objects.countries, (a, b) => a !== b))),
    };
  }

  baseMap(k) {
    if (k < DETAILED_ZOOM) return this.coarse;
    if (!this.detailed && !this.loadingDetailed) {
      this.loadingDetailed = this.loadBaseMap("countries-50m.json")
        .then(m => { this.detailed = m; this.view.requestRender(); })
        .catch(() => { /* keep the coarse map */ });
    }
    return this.detailed ?? this.coarse;
  }

  position(i) {
    return Number.isNaN(this.x[i]) ? null : [this.x[i], this.y[i]];
  }

  statusesChanged() {
    this.clusterKey = null;
  }

  /** Groups devices by screen cell at a zoom quantized to quarter powers of two, so panning reuses the groups. */
  clusters(k) {
    const kq = 2 ** (Math.round(Math.log2(k) * 4) / 4);
    const key = `${kq}/${this.view.visible === null ? "all" : this.view.visibleVersion}`;
    if (key === this.clusterKey) return this.clusterCache;
    const cell = CELL_PX / kq;
    const byCell = new Map();
    const g = this.view.graph;
    for (let i = 0; i < g.count; i++) {
      const x = this.x[i];
      if (Number.isNaN(x) || !this.view.isVisible(i)) continue;
      const y = this.y[i];
      const cellKey = Math.floor(x / cell) * 1_000_000 + Math.floor(y / cell);
      let c = byCell.get(cellKey);
      if (!c) byCell.set(cellKey, (c = { sx: 0, sy: 0, members: [], status: 0 }));
      c.sx += x;
      c.sy += y;
      c.members.push(i);
      c.status = worse(c.status, g.status[i]);
    }
    this.clusterCache = [...byCell.values()].map(c => ({ x: c.sx / c.members.length, y: c.sy / c.members.length, members: c.members, status: c.status }));
    this.clusterKey = key;
    return this.clusterCache;
  }

  draw(ctx, t, width, height) {
    const dpr = this.view.dpr;
    const colors = palette();
    ctx.fillStyle = colors.ocean;
    ctx.fillRect(0, 0, width, height);
    const base = this.baseMap(t.k);
    ctx.save();
    ctx.setTransform(dpr * t.k, 0, 0, dpr * t.k, dpr * t.x, dpr * t.y);
    ctx.fillStyle = colors.land;
    ctx.fill(base.land);
    ctx.strokeStyle = colors.borders;
    ctx.lineWidth = 0.7 / t.k;
    ctx.stroke(base.borders);
    ctx.restore();
    if (this.tileUrl) this.drawTiles(ctx, t, width, height);
    drawLinks(ctx, this.view, this.x, this.y, t);
    const markers = this.drawMarkers(ctx, t, width, height);
    // Interface names only between devices drawn on their own, on links long enough on screen to hold them.
    const alone = new Uint8Array(this.view.graph.count);
    for (const c of this.clusters(t.k)) if (c.members.length === 1) alone[c.members[0]] = 1;
    drawInterfaceNames(ctx, this.view, this.x, this.y, t, width, height, { alone: i => alone[i] === 1, minLength: INTERFACE_LENGTH });
    return markers;
  }

  drawTiles(ctx, t, width, height) {
    const z = Math.max(0, Math.min(19, Math.round(Math.log2(t.k))));
    const n = 2 ** z;
    const size = WORLD / n;
    const [x0, y0] = t.invert([0, 0]);
    const [x1, y1] = t.invert([width, height]);
    const tx0 = Math.floor(x0 / size), tx1 = Math.floor(x1 / size);
    const ty0 = Math.max(0, Math.floor(y0 / size)), ty1 = Math.min(n - 1, Math.floor(y1 / size));
    if ((tx1 - tx0 + 1) * (ty1 - ty0 + 1) > MAX_TILES) return;
    if (this.tiles.size > 512) this.tiles.clear();
    for (let tx = tx0; tx <= tx1; tx++) {
      for (let ty = ty0; ty <= ty1; ty++) {
        const wrapped = ((tx % n) + n) % n;
        const url = this.tileUrl.replace("{z}", z).replace("{x}", wrapped).replace("{y}", ty);
        let image = this.tiles.get(url);
        if (!image) {
          image = new Image();
          image.onload = () => this.view.requestRender();
          image.src = url;
          this.tiles.set(url, image);
        }
        if (image.complete && image.naturalWidth > 0) {
          const [sx, sy] = t.apply([tx * size, ty * size]);
          ctx.drawImage(image, sx, sy, size * t.k + 0.5, size * t.k + 0.5);
        }
      }
    }
  }

  drawMarkers(ctx, t, width, height) {
    const g = this.view.graph;
    const selected = this.view.selected;
    const colors = palette();
    const markers = [];
    for (const c of this.clusters(t.k)) {
      const x = c.x * t.k + t.x;
      const y = c.y * t.k + t.y;
      const count = c.members.length;
      const r = count === 1 ? DEVICE_RADIUS : Math.min(24, 9 + 2.5 * Math.log2(count));
      if (x < -r || y < -r || x > width + r || y > height + r) continue;
      markers.push({ x, y, r, members: c.members, status: c.status });
    }
    ctx.lineWidth = 1.5;
    ctx.font = "bold 11px Roboto, Arial, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    const labels = markers.length <= 300;
    for (const m of markers) {
      const anySelected = m.members.some(i => selected[i]);
      if (m.members.length === 1) {
        m.icon = g.icons[m.members[0]];
        g.sprites.draw(ctx, m.icon, STATUS_COLORS[m.status], colors.markerEdge, m.x, m.y, m.r, this.view.dpr);
      } else {
        ctx.beginPath();
        ctx.arc(m.x, m.y, m.r, 0, 2 * Math.PI);
        ctx.fillStyle = STATUS_COLORS[m.status];
        ctx.fill();
        ctx.strokeStyle = colors.markerEdge;
        ctx.stroke();
      }
      if (anySelected) {
        ctx.beginPath();
        ctx.arc(m.x, m.y, m.r + 3, 0, 2 * Math.PI);
        ctx.strokeStyle = SELECTED_COLOR;
        ctx.lineWidth = 3;
        ctx.stroke();
        ctx.lineWidth = 1.5;
      }
      if (m.members.length > 1) {
        ctx.fillStyle = "#ffffff";
        ctx.fillText(String(m.members.length), m.x, m.y + 0.5);
      } else if (labels) {
        ctx.fillStyle = colors.label;
        ctx.fillText(g.names[m.members[0]], m.x, m.y - m.r - 8);
      }
    }
    return markers;
  }
}

/** Called by the Blazor component, which then calls load(dataUrl) on the view it gets back. */
export function create(host, dotnet, options) {
  return new NetworkCanvas(host, dotnet, new WorldMapScene(options ?? {}));
}
