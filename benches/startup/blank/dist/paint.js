// Reports the first paint, as the desk's App.svelte does (two frames after load).
requestAnimationFrame(() => requestAnimationFrame(() => window.__TAURI_INTERNALS__.invoke('startup_painted')));
