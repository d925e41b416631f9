// What changes about a message (protocol v1.1) inside the bubbles the messages view builds: the
// text or the "message deleted" tombstone, the "edited" marker, the quote of a reply (which jumps
// to the original), the reactions, the actions (reply, react, edit, delete) with the reaction
// picker, the inline editor and the delete confirmation, and the state of this user's changes.
// One listener on the list serves every message; user text goes in through textContent only.

import { byTestId, make } from './dom.mjs';

/** The reaction picker's choice: small on purpose; a reaction someone else chose can be joined from its chip. */
export const PICKER_EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '😢'];

const HIGHLIGHT_MS = 2000;

// 24 × 24 icons, one path each.
const ICONS = {
  reply: 'M10 9V5l-7 7 7 7v-4.1c5 0 8.5 1.6 11 5.1-1-5-4-10-11-11z',
  react: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 2a8 8 0 1 1 0 16 8 8 0 0 1 0-16zM8.5 8.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm7 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zM7.2 14a5 5 0 0 0 9.6 0z',
  edit: 'M3 17.25V21h3.75L17.8 9.94l-3.75-3.75zM20.7 7.04a1 1 0 0 0 0-1.41l-2.34-2.34a1 1 0 0 0-1.41 0l-1.83 1.83 3.75 3.75z',
  delete: 'M6 19a2 2 0 0 0 2 2h8a2 2 0 0 0 2-2V7H6zM19 4h-3.5l-1-1h-5l-1 1H5v2h14z',
};

function icon(name) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', ICONS[name]);
  svg.append(path);
  return svg;
}

function button(className, text, action, testId) {
  const node = make('button', className, text);
  node.type = 'button';
  node.dataset.action = action;
  if (testId) node.dataset.testid = testId;
  return node;
}

/** A labelled group of controls. */
function group(className, testId, label) {
  const node = make('div', className);
  node.dataset.testid = testId;
  node.setAttribute('role', 'group');
  node.setAttribute('aria-label', label);
  return node;
}

function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
}

const changeNames = { editMessage: 'Edit', deleteMessage: 'Delete' };

export class MessageLifecycleView {
  #list = byTestId('message-list');
  #models = new WeakMap();   // message element -> the last model drawn into it
  #on;

  /**
   * @param handlers { onEdit(seq, text) => bool, onDelete(seq), onReact(seq, emoji), onReply(seq),
   *   onJump(seq), onRetryChange(clientMessageId), onDiscardChange(clientMessageId), onDone() (focus back to the composer) }
   */
  constructor(handlers) {
    this.#on = handlers;
    this.#list.addEventListener('click', event => this.#click(event));
    this.#list.addEventListener('keydown', event => this.#key(event));
  }

  /** Draws a stored message's current state: model as MessageLifecycle#render makes it. */
  render(seq, model) {
    const item = this.#item(seq);
    if (!item) return;
    this.#models.set(item, model);
    item.dataset.version = String(model.version);
    item.dataset.deleted = String(model.deleted);
    item.dataset.change = model.failed.length ? 'failed' : model.pending ? 'pending' : '';

    const text = item.querySelector('.message-text');
    text.textContent = model.deleted ? '' : model.text;
    text.hidden = model.deleted || Boolean(item.querySelector('.message-editor'));
    this.#part(item, 'message-tombstone', () => {
      const tombstone = make('p', 'message-tombstone', 'Message deleted');
      tombstone.dataset.testid = 'message-deleted';
      text.after(tombstone);
      return tombstone;
    }).hidden = !model.deleted;

    this.#renderEdited(item, model);
    this.#renderQuote(item, model.quote);
    this.#renderActions(item, model);
    this.#renderReactions(item, model);
    this.#renderChanges(item, model);
    if (model.deleted) {
      this.#closeEditor(item, false);
      this.#closePicker(item, false);
      this.#closeConfirm(item, false);
    }
  }

  /** The quote above one of this user's replies that the server has not acknowledged yet. */
  renderPendingQuote(clientMessageId, quote) {
    const item = this.#list.querySelector(`[data-testid="message"][data-client-id="${CSS.escape(clientMessageId)}"]`);
    if (item) this.#renderQuote(item, quote);
  }

  /** Opens the inline editor on a message (Edit, or Up arrow in an empty composer). */
  startEdit(seq) {
    const item = this.#item(seq);
    const model = item && this.#models.get(item);
    if (!model?.mayEdit) return;
    this.#closeConfirm(item, false);
    this.#closePicker(item, false);
    let editor = item.querySelector('.message-editor');
    if (!editor) {
      editor = make('form', 'message-editor');
      editor.setAttribute('aria-label', 'Edit message');
      const input = make('textarea', 'edit-input');
      input.dataset.testid = 'edit-input';
      input.rows = 1;
      input.setAttribute('aria-label', 'Edit message');
      input.setAttribute('enterkeyhint', 'done');
      input.value = model.text;
      const error = make('p', 'edit-error');
      error.setAttribute('role', 'alert');
      const actions = make('div', 'editor-actions');
      actions.append(
        make('span', 'editor-hint', 'Enter to save · Escape to cancel'),
        button('button button-quiet button-small', 'Cancel', 'edit-cancel', 'edit-cancel'),
        button('button button-primary button-small', 'Save', 'edit-save', 'edit-save'),
      );
      editor.append(input, error, actions);
      editor.addEventListener('submit', event => {
        event.preventDefault();
        this.#save(item);
      });
      item.querySelector('.message-text').hidden = true;
      item.querySelector('.message-tombstone').after(editor);
      item.classList.add('editing');
    }
    const input = editor.querySelector('textarea');
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
    editor.scrollIntoView({ block: 'nearest' });
  }

  /** Brings a message into view and moves focus to it, briefly highlighted; present: whether it is loaded. */
  jumpTo(seq, present) {
    const item = present ? this.#item(seq) : null;
    if (!item) return;
    item.tabIndex = -1;
    item.scrollIntoView({ block: 'center' });
    item.focus({ preventScroll: true });
    item.classList.add('highlight');
    setTimeout(() => item.classList.remove('highlight'), HIGHLIGHT_MS);
  }

  #item(seq) {
    return this.#list.querySelector(`[data-testid="message"][data-seq="${seq}"]`);
  }

  /** The child of this class, made by create() the first time. */
  #part(item, className, create) {
    return item.querySelector(`:scope > .${className}, :scope > * > .${className}`) ?? create();
  }

  #renderEdited(item, model) {
    const meta = item.querySelector('.message-meta');
    const marker = this.#part(item, 'message-edited', () => {
      const span = make('span', 'message-edited', 'edited');
      span.dataset.testid = 'edited-marker';
      meta.querySelector('.message-time').after(span);
      return span;
    });
    marker.hidden = !model.edited || model.deleted;
    if (model.editedAt) marker.title = `Edited ${formatTime(model.editedAt)}`;
    else marker.removeAttribute('title');
  }

  #renderQuote(item, quote) {
    let node = item.querySelector(':scope > .reply-quote');
    if (!quote) {
      node?.remove();
      return;
    }
    if (!node) {
      node = button('reply-quote', undefined, 'jump', 'reply-quote');
      item.querySelector('.message-text').before(node);
    }
    const [who, text] = {
      shown: [quote.senderName, quote.text],
      deleted: ['', 'deleted message'],
      loading: ['', '…'],
      unavailable: ['', 'message not available'],
    }[quote.status];
    node.dataset.replyTo = String(quote.seq);
    node.dataset.status = quote.status;
    const sender = make('span', 'reply-quote-sender', who);
    sender.dataset.testid = 'reply-quote-sender';
    const body = make('span', 'reply-quote-text', text);
    body.dataset.testid = 'reply-quote-text';
    node.replaceChildren(sender, body);
    node.setAttribute('aria-label', `In reply to ${who ? `${who}: ` : ''}${text}. Go to that message`);
  }

  #renderActions(item, model) {
    const actions = this.#part(item, 'message-actions', () => {
      const bar = group('message-actions', 'message-actions', 'Message actions');
      const sender = item.querySelector('.message-sender').textContent;
      for (const [action, label] of [['reply', `Reply to ${sender}`], ['react', 'Add a reaction'], ['edit', 'Edit message'], ['delete', 'Delete message']]) {
        const control = button('message-action', undefined, action, `${action}-button`);
        control.setAttribute('aria-label', label);
        control.title = label;
        control.append(icon(action));
        if (action === 'react') control.setAttribute('aria-expanded', 'false');
        bar.append(control);
      }
      item.querySelector('.message-meta').append(bar);
      return bar;
    });
    const allowed = { reply: model.mayRespond, react: model.mayRespond, edit: model.mayEdit, delete: model.mayDelete };
    for (const control of actions.children) control.hidden = !allowed[control.dataset.action];
    actions.hidden = !Object.values(allowed).some(Boolean);
    if (!model.mayEdit) this.#closeEditor(item, false);
  }

  #renderReactions(item, model) {
    const row = this.#part(item, 'reactions', () => {
      const chips = group('reactions', 'reactions', 'Reactions');
      (item.querySelector('.message-editor') ?? item.querySelector('.message-tombstone')).after(chips);
      return chips;
    });
    const focused = row.contains(document.activeElement) ? document.activeElement.dataset.emoji : null;
    row.replaceChildren(...model.reactions.map(r => {
      const chip = button('reaction', undefined, 'reaction', 'reaction');
      chip.dataset.emoji = r.emoji;
      chip.dataset.count = String(r.count);
      chip.setAttribute('aria-pressed', String(r.mine));
      chip.setAttribute('aria-label', `${r.emoji} ${r.count} ${r.count === 1 ? 'reaction' : 'reactions'}${r.mine ? ', yours included' : ''}`);
      chip.disabled = !model.mayRespond;
      chip.append(make('span', 'reaction-emoji', r.emoji), make('span', 'reaction-count', String(r.count)));
      return chip;
    }));
    row.hidden = model.reactions.length === 0;
    if (focused) row.querySelector(`[data-emoji="${CSS.escape(focused)}"]`)?.focus();
    const picker = item.querySelector('.reaction-picker');
    if (picker) this.#markPicked(picker, model);
  }

  #renderChanges(item, model) {
    const box = this.#part(item, 'change-state', () => {
      const state = make('div', 'change-state');
      state.dataset.testid = 'change-state';
      item.querySelector('.message-state').before(state);
      return state;
    });
    const lines = [];
    if (model.pending) lines.push(make('span', 'state-pending', 'Saving…'));
    for (const change of model.failed) {
      const name = changeNames[change.action] ?? `Reaction ${change.emoji}`;
      const line = make('span', 'change-failed');
      line.append(make('span', 'state-failed', `${name} not saved: ${change.reason}`));
      if (change.retriable) {
        const retry = button('link-button', 'Retry', 'change-retry', 'change-retry');
        retry.dataset.clientId = change.clientMessageId;
        line.append(retry);
      }
      const discard = button('link-button', 'Discard', 'change-discard', 'change-discard');
      discard.dataset.clientId = change.clientMessageId;
      line.append(discard);
      lines.push(line);
    }
    box.replaceChildren(...lines);
    box.dataset.status = model.failed.length ? 'failed' : model.pending ? 'pending' : '';
    box.hidden = lines.length === 0;
  }

  #click(event) {
    const item = event.target.closest('[data-testid="message"]');
    if (!item) return;
    const control = event.target.closest('button[data-action]');
    if (!control) {
      // Touch screens have no hover: a tap on a message shows its actions.
      if (!event.target.closest('.message-editor')) this.#select(item);
      return;
    }
    const seq = Number(item.dataset.seq);
    switch (control.dataset.action) {
      case 'reply': this.#on.onReply(seq); break;
      case 'react': this.#togglePicker(item, control); break;
      case 'pick':
        this.#on.onReact(seq, control.dataset.emoji);
        this.#closePicker(item, true);
        break;
      case 'reaction': this.#on.onReact(seq, control.dataset.emoji); break;
      case 'edit': this.startEdit(seq); break;
      case 'edit-save': this.#save(item); break;
      case 'edit-cancel': this.#closeEditor(item, true); break;
      case 'delete': this.#openConfirm(item); break;
      case 'delete-confirm':
        this.#closeConfirm(item, false);
        this.#on.onDelete(seq);
        this.#on.onDone();
        break;
      case 'delete-cancel': this.#closeConfirm(item, true); break;
      case 'jump': this.#on.onJump(Number(control.dataset.replyTo)); break;
      case 'change-retry': this.#on.onRetryChange(control.dataset.clientId); break;
      case 'change-discard': this.#on.onDiscardChange(control.dataset.clientId); break;
      default: break;
    }
  }

  #key(event) {
    const item = event.target.closest('[data-testid="message"]');
    if (!item) return;
    if (event.target.matches('.edit-input')) {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.#save(item);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        this.#closeEditor(item, true);
      }
      return;
    }
    if (event.key !== 'Escape') return;
    if (event.target.closest('.reaction-picker')) this.#closePicker(item, true);
    else if (event.target.closest('.confirm-delete')) this.#closeConfirm(item, true);
    else return;
    event.preventDefault();
  }

  #select(item) {
    for (const other of this.#list.querySelectorAll('.message.selected')) {
      if (other !== item) other.classList.remove('selected');
    }
    item.classList.toggle('selected');
  }

  #save(item) {
    const editor = item.querySelector('.message-editor');
    if (!editor) return;
    const input = editor.querySelector('textarea');
    if (this.#on.onEdit(Number(item.dataset.seq), input.value)) {
      this.#closeEditor(item, true);
      return;
    }
    input.setAttribute('aria-invalid', 'true');
    editor.querySelector('.edit-error').textContent = 'A message is 1 to 2,000 characters. To remove it, delete it.';
  }

  /** Closes the editor without saving; focus goes back to the composer when the person closed it. */
  #closeEditor(item, byPerson) {
    const editor = item.querySelector('.message-editor');
    if (!editor) return;
    editor.remove();
    item.classList.remove('editing');
    item.querySelector('.message-text').hidden = this.#models.get(item)?.deleted ?? false;
    if (byPerson) this.#on.onDone();
  }

  #togglePicker(item, control) {
    if (item.querySelector('.reaction-picker')) {
      this.#closePicker(item, true);
      return;
    }
    this.#closeConfirm(item, false);
    const picker = group('reaction-picker', 'reaction-picker', 'Pick a reaction');
    for (const emoji of PICKER_EMOJI) {
      const option = button('reaction-option', emoji, 'pick', 'reaction-option');
      option.dataset.emoji = emoji;
      picker.append(option);
    }
    this.#markPicked(picker, this.#models.get(item));
    item.querySelector('.reactions').after(picker);
    control.setAttribute('aria-expanded', 'true');
    picker.firstElementChild.focus();
  }

  /** Each option says whether this user's reaction is there (choosing it again takes it back). */
  #markPicked(picker, model) {
    for (const option of picker.children) {
      const mine = model?.reactions.some(r => r.emoji === option.dataset.emoji && r.mine) ?? false;
      option.setAttribute('aria-pressed', String(mine));
      option.setAttribute('aria-label', `${mine ? 'Remove your' : 'React with'} ${option.dataset.emoji}${mine ? ' reaction' : ''}`);
    }
  }

  #closePicker(item, focusButton) {
    const picker = item.querySelector('.reaction-picker');
    if (!picker) return;
    picker.remove();
    const control = item.querySelector('[data-action="react"]');
    control?.setAttribute('aria-expanded', 'false');
    if (focusButton) control?.focus();
  }

  #openConfirm(item) {
    this.#closePicker(item, false);
    let confirm = item.querySelector('.confirm-delete');
    if (!confirm) {
      confirm = make('div', 'confirm-delete');
      confirm.setAttribute('role', 'group');
      confirm.setAttribute('aria-label', 'Delete this message?');
      confirm.append(
        make('span', 'confirm-question', 'Delete this message?'),
        button('button button-quiet button-small', 'Cancel', 'delete-cancel', 'delete-cancel'),
        button('button button-danger button-small', 'Delete', 'delete-confirm', 'delete-confirm'),
      );
      item.querySelector('.change-state').before(confirm);
    }
    // The harmless choice has the focus: Enter twice does not delete by accident.
    confirm.querySelector('[data-action="delete-cancel"]').focus();
  }

  #closeConfirm(item, focusButton) {
    const confirm = item.querySelector('.confirm-delete');
    if (!confirm) return;
    confirm.remove();
    if (focusButton) item.querySelector('[data-action="delete"]')?.focus();
  }
}
