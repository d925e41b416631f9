// The one way views build elements: user-provided text only ever goes in through textContent.

export function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function byTestId(testId) {
  return document.querySelector(`[data-testid="${testId}"]`);
}
