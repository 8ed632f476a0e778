// Screen id → component. Adding a screen: a line here and an entry in lib/screens.ts.
import type { Component } from 'svelte';
import type { ScreenId } from '../lib/screens';
import Start from './Start.svelte';
import Overview from './Overview.svelte';
import Sources from './Sources.svelte';
import Findings from './Findings.svelte';
import Graph from './Graph.svelte';
import Questionnaire from './Questionnaire.svelte';
import Maturity from './Maturity.svelte';
import Risks from './Risks.svelte';
import Reports from './Reports.svelte';

export const SCREEN_COMPONENTS: Record<ScreenId, Component> = {
  start: Start,
  overview: Overview,
  sources: Sources,
  findings: Findings,
  graph: Graph,
  questionnaire: Questionnaire,
  maturity: Maturity,
  risks: Risks,
  reports: Reports,
};
