// The theme toggle: the system's theme by default; the toggle's choice is remembered.

import { keys } from '../modules/storage.mjs';

export function setUpTheme(store, toggle) {
  const root = document.documentElement;
  const systemDark = matchMedia('(prefers-color-scheme: dark)');
  const effective = () => root.dataset.theme ?? (systemDark.matches ? 'dark' : 'light');

  function apply(theme) {
    if (theme === 'dark' || theme === 'light') root.dataset.theme = theme;
    else delete root.dataset.theme;
    toggle.setAttribute('aria-label', `Switch to ${effective() === 'dark' ? 'light' : 'dark'} theme`);
  }

  apply(store.get(keys.theme));
  toggle.addEventListener('click', () => {
    const next = effective() === 'dark' ? 'light' : 'dark';
    store.set(keys.theme, next);
    apply(next);
  });
  systemDark.addEventListener('change', () => apply(store.get(keys.theme)));
}
