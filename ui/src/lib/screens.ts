// The screens, in navigation order. Ctrl+<key> jumps to one. A new screen is an entry
// here, a component in src/screens/, and its line in src/screens/index.ts.

export type ScreenId =
  | 'start'
  | 'overview'
  | 'sources'
  | 'findings'
  | 'graph'
  | 'questionnaire'
  | 'maturity'
  | 'risks'
  | 'reports';

export interface ScreenDef {
  id: ScreenId;
  title: string;
  key: string;
  needsEngagement: boolean;
}

export const SCREENS: ScreenDef[] = [
  { id: 'start', title: 'Start', key: '1', needsEngagement: false },
  { id: 'overview', title: 'Overview', key: '2', needsEngagement: true },
  { id: 'sources', title: 'Sources and zones', key: '3', needsEngagement: true },
  { id: 'findings', title: 'Findings', key: '4', needsEngagement: true },
  { id: 'graph', title: 'Identity graph', key: '5', needsEngagement: true },
  { id: 'questionnaire', title: 'Questionnaire', key: '6', needsEngagement: true },
  { id: 'maturity', title: 'Maturity', key: '7', needsEngagement: true },
  { id: 'risks', title: 'Risk register', key: '8', needsEngagement: true },
  { id: 'reports', title: 'Reports', key: '9', needsEngagement: true },
];

/** The screen Ctrl+key opens, if any and if it can open now. */
export function screenForKey(key: string, engagementOpen: boolean): ScreenId | null {
  const s = SCREENS.find((x) => x.key === key);
  if (!s || (s.needsEngagement && !engagementOpen)) return null;
  return s.id;
}
