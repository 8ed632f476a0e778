import { describe, expect, it } from 'vitest';
import { HEADER, LANE_WIDTH, layout, ROW, shorten } from '../../src/lib/graph-layout';
import type { GraphView } from '../../src/lib/types';

const graph: GraphView = {
  lanes: [
    { zone: 'IT', kind: 'IT', criticality: 2 },
    { zone: 'DMZ', kind: 'DMZ', criticality: 3 },
    { zone: 'OT-L3', kind: 'OT-L3', criticality: 4 },
  ],
  nodes: [
    { id: 'a0', kind: 'account', label: 'svc_hist@hist01', zone: 'OT-L3', findings: 1, flags: [], filter_field: 'identity', filter_value: 'svc_hist@hist01' },
    { id: 'c0', kind: 'credential', label: 'S*****! [ab12cd34]', zone: 'IT', findings: 2, flags: ['weak'], filter_field: 'fingerprint', filter_value: 'ab12' },
    { id: 'c1', kind: 'credential', label: 'x', zone: 'IT', findings: 1, flags: [], filter_field: 'fingerprint', filter_value: 'cd' },
  ],
  edges: [
    { from: 'c0', to: 'a0', cross: true },
    { from: 'c1', to: 'missing', cross: false },
  ],
  paths: [],
  total_paths: 1,
  total_credentials: 2,
  shown_credentials: 2,
};

describe('identity graph layout', () => {
  it('puts each node in its zone lane, credentials stacked first', () => {
    const l = layout(graph);
    const at = (id: string) => l.nodes.find((n) => n.id === id)!;
    expect(at('c0').x).toBe(LANE_WIDTH / 2);
    expect(at('c1').y).toBe(at('c0').y + ROW);
    expect(at('a0').x).toBe(2 * LANE_WIDTH + LANE_WIDTH / 2);
    expect(at('a0').y, 'first node of its own lane').toBe(at('c0').y);
    expect(l.width).toBe(3 * LANE_WIDTH);
    expect(l.height).toBeGreaterThan(HEADER + 2 * ROW);
  });

  it('draws edges between placed nodes only, keeping the cross flag', () => {
    const l = layout(graph);
    expect(l.edges).toHaveLength(1);
    expect(l.edges[0].cross).toBe(true);
    expect(l.edges[0].d.startsWith(`M${LANE_WIDTH / 2},`)).toBe(true);
  });

  it('shortens long labels', () => {
    expect(shorten('short')).toBe('short');
    expect(shorten('a'.repeat(40), 10)).toBe(`${'a'.repeat(9)}…`);
  });
});
