import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';
import { BUNDLED_NPM } from './scripts/bundled-npm.mjs';

// Fails the build when an npm package ends up in the bundle without being listed in
// the About box's licences (scripts/licences.mjs).
function licencesComplete(): Plugin {
  return {
    name: 'credence-licences-complete',
    generateBundle() {
      const bundled = new Set<string>();
      for (const id of this.getModuleIds()) {
        const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id);
        if (m && this.getModuleInfo(id)?.isIncluded !== false) bundled.add(m[1]);
      }
      const missing = [...bundled].filter((p) => !BUNDLED_NPM.includes(p));
      if (missing.length) this.error(`bundled npm packages missing from licences: ${missing.join(', ')}`);
    },
  };
}

// Everything is bundled into dist/ (no CDN, no remote URL): the app runs air-gapped.
// Svelte's runtime builds error messages around a documentation address; the app
// carries no remote address at all, so the prefix becomes a plain tag.
function noRemoteAddresses(): Plugin {
  return {
    name: 'credence-no-remote-addresses',
    renderChunk(code) {
      return code.includes('https://svelte.dev/e/') ? code.replaceAll('https://svelte.dev/e/', 'svelte-error:') : null;
    },
  };
}

export default defineConfig({
  plugins: [svelte(), licencesComplete(), noRemoteAddresses()],
  clearScreen: false,
  base: './',
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // No inline scripts or styles: the CSP allows 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
});
