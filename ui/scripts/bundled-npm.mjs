// npm packages whose code is bundled into the UI (the rest are build tools). The Vite
// build fails when it bundles one that is not listed here, so the About box's
// licences stay complete.
export const BUNDLED_NPM = ['@tauri-apps/api', 'clsx', 'esm-env', 'pdfjs-dist', 'svelte'];
