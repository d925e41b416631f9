// ChatDemo's page: native ES modules, no framework, no build step. This module only wires them:
// modules/ hold the protocol rules, the remembered state, the REST calls, the connection and the
// room; views/ own one region of the page each. It speaks protocol v1, v1.1's message lifecycle
// and the rooms of v1.2 (docs/protocol.md sections 10 and 11): the room list, members, invitations
// and moderation.

import { createApi } from './modules/api.mjs';
import { ChatRoom } from './modules/chat-room.mjs';
import { endingText, inviteRefusal } from './modules/members.mjs';
import * as oidc from './modules/oidc.mjs';
import { isRoom } from './modules/protocol.mjs';
import { ReadPositions, RoomDirectory, inviteIn, withoutInvite } from './modules/room-list.mjs';
import { RoomMembership } from './modules/room-membership.mjs';
import { createRoomsApi } from './modules/rooms-api.mjs';
import { Sessions, isFresh } from './modules/session.mjs';
import { createStore, keys } from './modules/storage.mjs';
import { ComposerView } from './views/composer-view.mjs';
import { HeaderView } from './views/header-view.mjs';
import { JoinView } from './views/join-view.mjs';
import { MembersView } from './views/members-view.mjs';
import { MessageLifecycleView } from './views/message-lifecycle-view.mjs';
import { MessagesView } from './views/messages-view.mjs';
import { PresenceView } from './views/presence-view.mjs';
import { ReplyBarView } from './views/reply-bar-view.mjs';
import { RoomNoticeView } from './views/room-notice-view.mjs';
import { RoomsView } from './views/rooms-view.mjs';
import { setUpTheme } from './views/theme.mjs';
import { TypingView } from './views/typing-view.mjs';

const store = createStore(localStorage);
// The provider's tokens and a sign-in in progress: this tab only, never localStorage.
const sessionStore = createStore(sessionStorage);
// History and presence go with the remembered session's token (a private room's need it).
const api = createApi(undefined, () => sessions.saved()?.token ?? null);
const sessions = new Sessions(store, api, () => sessionStore.get(oidc.ID_TOKEN_KEY));
/** The provider and the token endpoint are other origins: the page's own fetch, unwrapped. */
const fetchAnywhere = (...args) => fetch(...args);
/** /api/config's auth: { guests, oidc? }; null until it has been read (or when it cannot be). */
let auth = null;
const roomView = document.querySelector('#room-view');

/** The room joined, or null while the join form shows; membership is its rooms side (v1.2). */
let room = null;
let membership = null;
/** An invite in the link the page was opened with ({ room, invite }), accepted on joining that room. */
let invited = inviteIn(location.href, isRoom);

// Rooms act for the remembered session too (a public list without one).
const roomsApi = createRoomsApi(() => sessions.saved()?.token ?? null);
const directory = new RoomDirectory({ api: roomsApi, onChange: showRooms });
const reads = new ReadPositions({ api: roomsApi, onSaved: () => directory.refresh() });

setUpTheme(store, document.querySelector('#theme-toggle'));
const views = {
  header: new HeaderView({ onLeave: () => leave() }),
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
  rooms: new RoomsView({ onOpen: openRoom, onCreate: createRoom, onCreated: () => views.composer.focus() }),
  members: new MembersView({
    onOpen: () => membership?.refresh(),
    onAct: (action, userId, duration) => membership?.act(action, userId, duration),
    onInvite: () => membership?.invite(),
    onLeave: () => membership?.leaveRoom(),
  }),
  notice: new RoomNoticeView({ onAction: reason => (reason === 'kicked' ? openRoom(membership?.name) : backToRoomList()) }),
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

function showRooms() {
  views.rooms.show(directory.rooms, { current: room?.name ?? null, hidden: document.hidden, status: directory.status });
  views.rooms.canCreate(Boolean(sessions.saved()));
}

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
  await acceptInvite(roomName);
  await enter(roomName, session);
}

/** Joins the room of the link's invite (POST …/join) once there is a session; a refusal says why. */
async function acceptInvite(roomName) {
  if (invited?.room !== roomName) return;
  const { invite } = invited;
  invited = null;
  history.replaceState(null, '', withoutInvite(location.href));
  try {
    await roomsApi.join(roomName, invite);
  } catch (error) {
    store.set(keys.inRoom, null);
    throw new Error(inviteRefusal(error));
  }
}

/** A room from the list (or Rejoin after a kick): entered at once with the remembered session. */
async function openRoom(roomName) {
  const session = sessions.saved();
  if (!session || store.get(keys.name) !== session.name) {
    views.join.fill(store.get(keys.name) ?? '', roomName);
    return views.join.show();
  }
  store.set(keys.room, roomName);
  store.set(keys.inRoom, roomName);
  return enter(roomName, session);
}

async function createRoom(details) {
  if (!sessions.saved()) throw new Error('join a room first');
  await roomsApi.create(details);
  await openRoom(details.room);
}

async function enter(roomName, session) {
  closeRoom();
  const current = new RoomMembership({
    name: roomName, session: () => sessions.saved() ?? session, api: roomsApi, views, baseUrl: location.href,
    listRooms: () => directory.fresh(),
    onEnded: ending => ended(current, ending),
  });
  membership = current;
  views.join.hide();
  roomView.hidden = false;
  setRoomInAddress(roomName);
  views.header.showRoom(roomName);
  if (!await current.load() || membership !== current) return;
  const chat = new ChatRoom({
    name: roomName, session, api, sessions, store, views,
    page: { baseUrl: location.href, isHidden: () => document.hidden },
    observer: {
      // A member frame may change this user's role, and with it who may delete others' messages.
      frame: frame => { current.frame(frame); chat.setRole(current.actingRole); },
      ended: code => current.closed(code),
      // A socket refused while the server answers: banned, or no longer a member of a private room?
      refused: () => current.refused(),
      seen: seq => {
        if (!document.hidden) reads.seen(roomName, seq);
        directory.noticed(roomName, seq);
        current.seen(seq);
      },
    },
  });
  room = chat;
  room.setRole(current.actingRole);
  room.enter();
  showRooms();
}

/** Kicked or banned: the notice stays over the room; removed, left or refused: back to the room list. */
function ended(current, ending) {
  if (membership !== current) return;
  room?.halt();
  directory.refresh();
  if (ending.reason !== 'kicked' && ending.reason !== 'banned') backToRoomList(endingText(ending));
}

function closeRoom() {
  room?.leave();
  room = null;
  membership?.dispose();
  membership = null;
  reads.flush();
  views.members.available(false);
  views.notice.clear();
}

function leave(message = '') {
  closeRoom();
  store.set(keys.inRoom, null);
  setRoomInAddress(null);
  roomView.hidden = true;
  views.header.showRoom(null);
  views.join.show(message);
  showRooms();
}

function backToRoomList(message = '') {
  leave(message);
  views.rooms.setOpen(true);
}

window.addEventListener('online', () => room?.networkBack());
window.addEventListener('offline', () => room?.networkGone());
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') {
    room?.becameVisible();
    directory.start();
  } else {
    directory.stop();
    reads.flush();
  }
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

async function start() {
  const fromUrl = new URLSearchParams(location.search).get('room');
  const linkedRoom = isRoom(fromUrl) ? fromUrl : null;
  views.join.fill(store.get(keys.name) ?? '', linkedRoom ?? store.get(keys.room) ?? 'lobby');
  directory.start();

  const session = sessions.saved();
  const inRoom = store.get(keys.inRoom) ?? (invited && isFresh(session) ? invited.room : null);
  if (session && inRoom && store.get(keys.name) === session.name) {
    // A reload (or an invite link opened with a session): back into the room as the same user.
    const roomName = linkedRoom ?? inRoom;
    store.set(keys.inRoom, roomName);
    try {
      await acceptInvite(roomName);
    } catch (error) {
      return leave(`Could not join: ${error.message}`);
    }
    return enter(roomName, session);
  }
  views.header.showRoom(null);
  views.join.show();
}

start();
setUpAccount();
