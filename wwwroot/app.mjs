// ChatDemo's page: native ES modules, no framework, no build step. This module only wires them:
// modules/ hold the protocol rules, the remembered state, the REST calls, the connection and the
// room; views/ own one region of the page each. It speaks protocol v1 and v1.1's message lifecycle
// (docs/protocol.md).

import { createApi } from './modules/api.mjs';
import { ChatRoom } from './modules/chat-room.mjs';
import * as oidc from './modules/oidc.mjs';
import { isRoom } from './modules/protocol.mjs';
import { Sessions } from './modules/session.mjs';
import { createStore, keys } from './modules/storage.mjs';
import { ComposerView } from './views/composer-view.mjs';
import { HeaderView } from './views/header-view.mjs';
import { JoinView } from './views/join-view.mjs';
import { MessageLifecycleView } from './views/message-lifecycle-view.mjs';
import { MessagesView } from './views/messages-view.mjs';
import { PresenceView } from './views/presence-view.mjs';
import { ReplyBarView } from './views/reply-bar-view.mjs';
import { setUpTheme } from './views/theme.mjs';
import { TypingView } from './views/typing-view.mjs';

const store = createStore(localStorage);
// The provider's tokens and a sign-in in progress: this tab only, never localStorage.
const sessionStore = createStore(sessionStorage);
const api = createApi();
const sessions = new Sessions(store, api, () => sessionStore.get(oidc.ID_TOKEN_KEY));
/** The provider and the token endpoint are other origins: the page's own fetch, unwrapped. */
const fetchAnywhere = (...args) => fetch(...args);
/** /api/config's auth: { guests, oidc? }; null until it has been read (or when it cannot be). */
let auth = null;
const roomView = document.querySelector('#room-view');

/** The room joined, or null while the join form shows. */
let room = null;

setUpTheme(store, document.querySelector('#theme-toggle'));
const views = {
  header: new HeaderView({ onLeave: leave }),
  join: new JoinView({ onJoin: join, onSignIn: signIn, onSignOut: signOut }),
  messages: new MessagesView({
    onRetry: id => room?.retry(id),
    onDiscard: id => room?.discard(id),
    onLoadOlder: () => room?.loadOlder(),
  }),
  presence: new PresenceView(),
  typing: new TypingView(),
  composer: new ComposerView({
    onSend: text => room?.send(text) ?? false,
    onInput: text => room?.typed(text),
    onEditLast: () => room?.lifecycle.editLast() ?? false,
    onEscape: () => room?.lifecycle.cancelReply() ?? false,
  }),
  lifecycle: new MessageLifecycleView({
    onEdit: (seq, text) => room?.lifecycle.edit(seq, text) ?? false,
    onDelete: seq => room?.lifecycle.remove(seq),
    onReact: (seq, emoji) => room?.lifecycle.react(seq, emoji),
    onReply: seq => room?.lifecycle.startReply(seq),
    onJump: seq => room?.lifecycle.jumpTo(seq),
    onRetryChange: id => room?.lifecycle.retryChange(id),
    onDiscardChange: id => room?.lifecycle.discardChange(id),
    onDone: () => views.composer.focus(),
  }),
  reply: new ReplyBarView({ onCancel: () => room?.lifecycle.cancelReply() }),
};

function setRoomInAddress(name) {
  const url = new URL(location.href);
  if (name) url.searchParams.set('room', name);
  else url.searchParams.delete('room');
  history.replaceState(null, '', url);
}

async function join(name, roomName) {
  // A signed-in member joins as the provider's user; anyone else as a guest under the typed name.
  const session = sessions.member() ?? await sessions.forName(name);
  store.set(keys.name, session.name);
  store.set(keys.room, roomName);
  store.set(keys.inRoom, roomName);
  enter(roomName, session);
}

function enter(roomName, session) {
  room = new ChatRoom({
    name: roomName, session, api, sessions, store, views,
    page: { baseUrl: location.href, isHidden: () => document.hidden },
  });
  views.join.hide();
  roomView.hidden = false;
  setRoomInAddress(roomName);
  room.enter();
}

function leave() {
  room?.leave();
  room = null;
  store.set(keys.inRoom, null);
  setRoomInAddress(null);
  roomView.hidden = true;
  views.header.showRoom(null);
  views.join.show();
}

window.addEventListener('online', () => room?.networkBack());
window.addEventListener('offline', () => room?.networkGone());
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') room?.becameVisible();
});

/** Goes to the provider's sign-in page; it sends the browser back to this page with a code. */
async function signIn() {
  const { auth: current } = await api.config();
  if (!current?.oidc) throw new Error('this server has no sign-in provider');
  const provider = await oidc.discover(fetchAnywhere, current.oidc.authority);
  store.set(keys.room, views.join.roomValue());
  location.assign(await oidc.beginSignIn({
    oidc: current.oidc, provider, redirectUri: `${location.origin}${location.pathname}`, crypto, sessionStore,
  }));
}

/** Signs out of ChatDemo in this browser; the provider's own session is left alone. */
function signOut() {
  oidc.forget(sessionStore);
  sessions.forget();
  showAccount();
}

function showAccount() {
  views.join.showAccount({ signIn: Boolean(auth?.oidc), guests: auth?.guests ?? true, memberName: sessions.member()?.name ?? null });
}

/** Reads how to sign in, and completes a sign-in when the provider has just sent the browser back. */
async function setUpAccount() {
  try {
    ({ auth } = await api.config());
  } catch {
    return; // The server does not answer: the guest form works as before, and says why on Join.
  }
  let error = '';
  if (auth?.oidc && oidc.isCallback(location.href)) {
    try {
      const provider = await oidc.discover(fetchAnywhere, auth.oidc.authority);
      const idToken = await oidc.completeSignIn({ href: location.href, oidc: auth.oidc, provider, fetchImpl: fetchAnywhere, sessionStore });
      store.set(keys.name, sessions.adopt(await api.exchangeIdToken(idToken)).name);
    } catch (failure) {
      error = `Could not sign in: ${failure.message}`;
    }
    history.replaceState(null, '', oidc.withoutCallback(location.href));
  }
  showAccount();
  if (error) views.join.show(error);
}

function start() {
  const fromUrl = new URLSearchParams(location.search).get('room');
  const linkedRoom = isRoom(fromUrl) ? fromUrl : null;
  views.join.fill(store.get(keys.name) ?? '', linkedRoom ?? store.get(keys.room) ?? 'lobby');

  const session = sessions.saved();
  const inRoom = store.get(keys.inRoom);
  if (session && inRoom && store.get(keys.name) === session.name) {
    // A reload: back into the room as the same user (a new session only if this one expired).
    enter(linkedRoom ?? inRoom, session);
    if (linkedRoom) store.set(keys.inRoom, linkedRoom);
    return;
  }
  views.header.showRoom(null);
  views.join.show();
}

start();
setUpAccount();
