// Lays the topology out off the main thread: d3-force with a bounded number of ticks, posting positions as it goes
// so the page stays responsive with thousands of devices.
import { forceLink, forceManyBody, forceSimulation, forceX, forceY } from "d3-force";

let simulation = null;
let nodes = [];
let running = false;
let generation = 0;

self.onmessage = ({ data }) => {
  if (data.type === "start") start(data);
  else if (data.type === "pin" && nodes[data.index]) {
    const node = nodes[data.index];
    node.fx = node.x = data.x;
    node.fy = node.y = data.y;
    // Neighbours follow a dragged device for a short while, then the layout settles again.
    simulation.alpha(Math.max(simulation.alpha(), 0.15));
    if (!running) step();
  }
};

function start({ count, links, x, y, ticks, layout }) {
  generation = layout;
  nodes = Array.from({ length: count }, (_, i) =>
    x && !Number.isNaN(x[i]) && !Number.isNaN(y[i]) ? { x: x[i], y: y[i] } : {});
  const edges = [];
  for (let n = 0; n < links.length; n += 2) edges.push({ source: links[n], target: links[n + 1] });
  simulation?.stop();
  simulation = forceSimulation(nodes)
    .force("link", forceLink(edges).distance(30))
    .force("charge", forceManyBody().strength(-40).theta(0.9).distanceMax(500))
    .force("x", forceX().strength(0.02))
    .force("y", forceY().strength(0.02))
    .alphaDecay(1 - Math.pow(0.001, 1 / ticks))
    .stop();
  if (x) simulation.alpha(0.5);
  if (!running) step();
}

function step() {
  running = true;
  const started = performance.now();
  while (simulation.alpha() > simulation.alphaMin() && performance.now() - started < 50) simulation.tick();
  const done = simulation.alpha() <= simulation.alphaMin();
  const xs = new Float32Array(nodes.length);
  const ys = new Float32Array(nodes.length);
  nodes.forEach((node, i) => { xs[i] = node.x; ys[i] = node.y; });
  self.postMessage({ type: "positions", layout: generation, x: xs, y: ys, done }, [xs.buffer, ys.buffer]);
  if (done) running = false;
  else setTimeout(step, 0);
}
