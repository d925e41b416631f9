// "Bob is typing…" under the conversation.

import { byTestId } from './dom.mjs';

export function typingText(names) {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

export class TypingView {
  #line = byTestId('typing-indicator');

  show(names) {
    this.#line.textContent = typingText(names);
  }
}
