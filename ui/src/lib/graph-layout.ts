// Lays the identity graph out as lanes (one column per zone, IT on the left to OT-L0,
// then IoT, vendor, cloud): credentials stacked first in their lane, accounts below.
// Pure geometry, unit-tested; the Graph screen draws it as SVG.

import type { GraphEdge, GraphNode, GraphView } from './types';

export const LANE_WIDTH = 220;
export const HEADER = 56;
export const ROW = 46;
export const PAD = 16;

export interface PlacedNode extends GraphNode {
  x: number;
  y: number;
}

export interface PlacedEdge extends GraphEdge {
  d: string; // SVG path
}

export interface Layout {
  width: number;
  height: number;
  lanes: { zone: string; kind: string; criticality: number; x: number }[];
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

export function layout(g: GraphView): Layout {
  const laneIndex = new Map(g.lanes.map((l, i) => [l.zone, i]));
  const perLane = new Map<string, number>();
  const place = (n: GraphNode): PlacedNode => {
    const i = laneIndex.get(n.zone) ?? 0;
    const k = perLane.get(n.zone) ?? 0;
    perLane.set(n.zone, k + 1);
    return { ...n, x: i * LANE_WIDTH + LANE_WIDTH / 2, y: HEADER + PAD + k * ROW + ROW / 2 };
  };
  // Credentials first in each lane, then accounts, each in the order given.
  const nodes = [...g.nodes.filter((n) => n.kind === 'credential'), ...g.nodes.filter((n) => n.kind === 'account')].map(
    place,
  );
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges: PlacedEdge[] = [];
  for (const e of g.edges) {
    const a = byId.get(e.from);
    const b = byId.get(e.to);
    if (!a || !b) continue;
    const mx = (a.x + b.x) / 2;
    const d =
      a.x === b.x
        ? `M${a.x + 12},${a.y} C${a.x + 60},${a.y} ${b.x + 60},${b.y} ${b.x + 12},${b.y}`
        : `M${a.x},${a.y} C${mx},${a.y} ${mx},${b.y} ${b.x},${b.y}`;
    edges.push({ ...e, d });
  }
  const rows = Math.max(1, ...perLane.values());
  return {
    width: Math.max(1, g.lanes.length) * LANE_WIDTH,
    height: HEADER + PAD * 2 + rows * ROW,
    lanes: g.lanes.map((l, i) => ({ ...l, x: i * LANE_WIDTH })),
    nodes,
    edges,
  };
}

/** A label cut to fit a lane. */
export function shorten(s: string, max = 26): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
