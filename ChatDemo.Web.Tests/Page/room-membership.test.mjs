import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../wwwroot/modules/api.mjs';
import { RoomMembership } from '../../wwwroot/modules/room-membership.mjs';
import { FakeClock, settle } from './fakes.mjs';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const at = offsetMs => new Date(NOW + offsetMs).toISOString();
const olive = { id: 'u_o', name: 'Olive', role: 'owner', joinedAt: at(-3000), online: true };
const mo = { id: 'u_m', name: 'Mo', role: 'moderator', joinedAt: at(-2000), online: false };
const bob = { id: 'u_b', name: 'Bob', role: 'member', joinedAt: at(-1000), online: true };

/** Views that record what they were asked to show, in order. */
function recordingViews() {
  const calls = [];
  const record = name => new Proxy({}, {
    get: (_, method) => (...args) => {
      calls.push([`${name}.${String(method)}`, ...args]);
      if (method === 'keepAtBottom') args[0]();
    },
  });
  const views = Object.fromEntries(['members', 'notice', 'composer', 'messages'].map(n => [n, record(n)]));
  return { views, calls, named: name => calls.filter(c => c[0] === name).map(c => c.slice(1)) };
}

/** A fake rooms API over one room; every call is recorded; failures are set per method. */
function fakeApi({ room, listed = true, members = [olive, mo, bob], log = [], fail = {}, roomAnswer = room }) {
  const calls = [];
  const answer = (method, value) => async (...args) => {
    calls.push([method, ...args]);
    if (fail[method]) throw fail[method];
    return typeof value === 'function' ? value(...args) : value;
  };
  return {
    calls,
    list: answer('list', () => ({ rooms: [{ room: 'lobby', owner: null, visibility: 'public' }, ...(listed && room ? [room] : [])] })),
    access: answer('access', { room: room?.room, users: [] }),
    room: answer('room', () => roomAnswer),
    members: answer('members', () => ({ room: room?.room, members })),
    moderationLog: answer('moderationLog', () => ({ records: log })),
    moderate: answer('moderate', { id: 'r_1' }),
    removeMember: answer('removeMember', null),
    setRole: answer('setRole', { id: 'u_b', role: 'moderator' }),
    invite: answer('invite', { invite: 'inv.tok', room: room?.room, expiresAt: at(7 * 86_400_000) }),
  };
}

function membership({ me = olive, admin = false, room = { room: 'team-a', visibility: 'private', owner: { id: olive.id, name: 'Olive' }, role: me.role }, ...rest } = {}) {
  const api = fakeApi({ room, ...rest });
  const recorded = recordingViews();
  const ended = [];
  const clock = new FakeClock();
  const m = new RoomMembership({
    name: 'team-a', session: () => ({ userId: me.id, admin }), api, views: recorded.views, baseUrl: 'https://chat.test/?room=team-a',
    onEnded: ending => ended.push(ending), clock, now: () => NOW + clock.now,
  });
  return { m, api, ended, clock, ...recorded };
}

test("an owner's room shows the Members button, the members with each one's actions, invites and the current bans", async () => {
  const log = [{ action: 'ban', user: { id: 'u_x', name: 'Xan' }, until: at(3_600_000), by: { id: 'u_o', name: 'Olive' } }];
  const r = membership({ log });
  assert.equal(await r.m.load(), true);
  assert.deepEqual(r.named('members.available'), [[true]]);
  const [model] = r.named('members.show').at(-1);
  assert.equal(model.canInvite, true);
  assert.equal(model.canLeave, false, 'an owner cannot leave');
  assert.deepEqual(model.members.map(m => [m.id, m.you, m.actions]), [
    ['u_o', true, []],
    ['u_m', false, ['mute', 'kick', 'ban', 'remove', 'demote']],
    ['u_b', false, ['mute', 'kick', 'ban', 'remove', 'promote']],
  ]);
  assert.deepEqual(model.bans.map(b => b.user.id), ['u_x']);
});

test('a member sees the members without any action, bans or invite, and may leave; the log is not asked for', async () => {
  const r = membership({ me: bob });
  await r.m.load();
  const [model] = r.named('members.show').at(-1);
  assert.equal(model.canInvite, false);
  assert.equal(model.canLeave, true);
  assert.deepEqual(model.members.flatMap(m => m.actions), []);
  assert.deepEqual(model.bans, []);
  assert.equal(r.api.calls.some(c => c[0] === 'moderationLog'), false);
});

test('an administrator without a role acts as the owner', async () => {
  const admin = { id: 'u_admin', name: 'Ada' };
  const r = membership({ me: admin, admin: true, room: { room: 'team-a', visibility: 'public', owner: { id: 'u_o', name: 'Olive' } } });
  await r.m.load();
  const [model] = r.named('members.show').at(-1);
  assert.equal(model.canInvite, true);
  assert.deepEqual(model.members.find(m => m.id === 'u_m').actions.at(-1), 'demote');
});

test('a listed created room is read with GET /api/rooms/{room} (whose ban the list does not carry)', async () => {
  const r = membership();
  await r.m.load();
  assert.deepEqual(r.api.calls.map(c => c[0]), ['list', 'room', 'members', 'access', 'moderationLog']);
  assert.equal(r.m.room.visibility, 'private');
});

test('a listed room nobody created is entered from the list alone: no GET /api/rooms/{room}, which could answer 404', async () => {
  const r = membership({ room: { room: 'team-a', visibility: 'public', owner: null } });
  assert.equal(await r.m.load(), true);
  assert.deepEqual(r.api.calls.map(c => c[0]), ['list']);
  assert.deepEqual(r.named('members.available'), [[false]]);
});

test('a room not listed that may be read is one nobody created: no members panel, entered as in v1 (never GET /api/rooms/{room})', async () => {
  const r = membership({ listed: false });
  assert.equal(await r.m.load(), true);
  assert.deepEqual(r.api.calls.map(c => [c[0], c[1]]), [['list', undefined], ['access', 'team-a']]);
  assert.deepEqual(r.named('members.available'), [[false]]);
  assert.equal(r.m.room, null);
  assert.deepEqual(r.ended, []);
});

test('an administrator who opens an unlisted private room by name gets its members panel once it shows a message, and acts as its owner', async () => {
  const ada = { id: 'u_admin', name: 'Ada' };
  const r = membership({ me: ada, admin: true, listed: false, room: { room: 'team-a', visibility: 'private', owner: { id: olive.id, name: 'Olive' } } });
  assert.equal(await r.m.load(), true);
  assert.deepEqual(r.api.calls.map(c => [c[0], c[1]]), [['list', undefined], ['access', 'team-a']], 'no GET /api/rooms/{room} yet: it may be an unused room (404)');
  await r.m.seen(0);
  assert.equal(r.api.calls.some(c => c[0] === 'room'), false, 'an empty room may be one nobody created');
  await r.m.seen(3);
  assert.deepEqual(r.api.calls.filter(c => c[0] === 'room').map(c => c[1]), ['team-a']);
  assert.deepEqual(r.named('members.available').at(-1), [true]);
  assert.equal(r.m.actingRole, 'owner');
  const [model] = r.named('members.show').at(-1);
  assert.equal(model.canInvite, true);
  assert.deepEqual(model.members.find(m => m.id === 'u_b').actions, ['mute', 'kick', 'ban', 'remove', 'promote']);
  assert.deepEqual(model.members.find(m => m.id === 'u_m').actions, ['mute', 'kick', 'ban', 'remove', 'demote']);
  assert.equal(model.canLeave, false, 'an administrator holds no role to leave');
  await r.m.seen(4);
  assert.equal(r.api.calls.filter(c => c[0] === 'room').length, 1, 'asked once');
});

test('an unlisted room with messages that nobody created gives an administrator no panel; members and listed rooms never ask', async () => {
  const uncreated = membership({ me: { id: 'u_admin' }, admin: true, listed: false, roomAnswer: { room: 'team-a', visibility: 'public', owner: null } });
  await uncreated.m.load();
  await uncreated.m.seen(1);
  assert.deepEqual(uncreated.named('members.available'), [[false]]);
  assert.equal(uncreated.m.room, null);

  const member = membership({ me: bob, listed: false });
  await member.m.load();
  await member.m.seen(5);
  assert.equal(member.api.calls.some(c => c[0] === 'room'), false, 'only an administrator may read a room outside their list');

  const listed = membership({ me: { id: 'u_admin' }, admin: true });
  await listed.m.load();
  const before = listed.api.calls.length;
  await listed.m.seen(5);
  assert.equal(listed.api.calls.length, before);
});

test('a banned caller is stopped at the door: the notice says banned and until when, and nothing more is read', async () => {
  const room = { room: 'team-a', visibility: 'public', owner: { id: olive.id, name: 'Olive' } };
  const r = membership({ me: bob, room, roomAnswer: { ...room, ban: { at: at(-1000), until: at(3_600_000) } } });
  assert.equal(await r.m.load(), false);
  assert.deepEqual(r.ended, [{ reason: 'banned', room: 'team-a', by: null, until: at(3_600_000), detail: null }]);
  assert.deepEqual(r.named('notice.ended'), [[r.ended[0]]]);
  assert.deepEqual(r.api.calls.map(c => c[0]), ['list', 'room']);

  const forGood = membership({ me: bob, room, roomAnswer: { ...room, ban: { at: at(-1000) } } });
  assert.equal(await forGood.m.load(), false);
  assert.equal(forGood.ended[0].until, null);
});

test('a refused socket asks the room why: a ban or a 403 ends the stay once; anything else leaves the connection retrying', async () => {
  const room = { room: 'team-a', visibility: 'public', owner: { id: olive.id, name: 'Olive' }, role: 'member' };
  const banned = membership({ me: bob, room });
  await banned.m.load();
  banned.api.room = async () => ({ ...room, ban: { at: at(0), until: at(600_000) } });
  await banned.m.refused();
  await banned.m.refused();
  assert.deepEqual(banned.ended, [{ reason: 'banned', room: 'team-a', by: null, until: at(600_000), detail: null }]);

  const removed = membership({ me: bob });
  await removed.m.load();
  removed.api.room = async () => { throw new ApiError('Room team-a is private and you are not a member.', 403); };
  await removed.m.refused();
  assert.deepEqual(removed.ended.map(e => [e.reason, e.detail]), [['refused', 'Room team-a is private and you are not a member.']]);

  const expired = membership({ me: bob });
  await expired.m.load();
  expired.api.room = async () => { throw new ApiError('Invalid session', 401); };
  await expired.m.refused();
  expired.api.room = async () => room;
  await expired.m.refused();
  assert.deepEqual(expired.ended, [], 'a refused token is the session renewal\'s business');

  const uncreated = membership({ me: bob, listed: false });
  await uncreated.m.load();
  uncreated.api.access = async () => { throw new ApiError('Not a member', 403); };
  await uncreated.m.refused();
  assert.equal(uncreated.ended[0].reason, 'refused', 'a room created meanwhile as private refuses through …/presence');
});

test('a private room that refuses the caller (403) is not entered: the notice says so and the app goes back to the list', async () => {
  const r = membership({ listed: false, fail: { access: new ApiError('Not a member', 403) } });
  assert.equal(await r.m.load(), false);
  assert.deepEqual(r.ended, [{ reason: 'refused', room: 'team-a', by: null, until: null, detail: 'Not a member' }]);
  assert.deepEqual(r.named('notice.ended'), [[r.ended[0]]]);
});

test('when neither the list nor the access check can be read, the room is entered and the connection finds out', async () => {
  const r = membership({ fail: { list: new Error('offline'), access: new Error('offline') } });
  assert.equal(await r.m.load(), true);
  assert.deepEqual(r.ended, []);
});

test('moderation actions call their endpoint, then read the members again; a refusal is shown', async () => {
  const r = membership({ fail: {} });
  await r.m.load();
  r.api.calls.length = 0;
  assert.equal(await r.m.act('mute', 'u_b', 600), true);
  await r.m.act('ban', 'u_b', null);
  await r.m.act('unban', 'u_b');
  await r.m.act('kick', 'u_b');
  await r.m.act('remove', 'u_b');
  await r.m.act('promote', 'u_b');
  await r.m.act('demote', 'u_m');
  assert.deepEqual(r.api.calls.filter(c => !['members', 'access', 'moderationLog'].includes(c[0])), [
    ['moderate', 'team-a', { action: 'mute', userId: 'u_b', durationSeconds: 600 }],
    ['moderate', 'team-a', { action: 'ban', userId: 'u_b' }],
    ['moderate', 'team-a', { action: 'unban', userId: 'u_b' }],
    ['moderate', 'team-a', { action: 'kick', userId: 'u_b' }],
    ['removeMember', 'team-a', 'u_b'],
    ['setRole', 'team-a', 'u_b', 'moderator'],
    ['setRole', 'team-a', 'u_m', 'member'],
  ]);
  assert.equal(r.api.calls.filter(c => c[0] === 'members').length, 7);

  const refused = membership({ fail: { moderate: new ApiError('A moderator cannot act on another moderator', 403) } });
  await refused.m.load();
  assert.equal(await refused.m.act('kick', 'u_m'), false);
  assert.deepEqual(refused.named('members.showError').at(-1), ['Could not kick: A moderator cannot act on another moderator']);
});

test("an invite is shown as the page's own link, with the room in clear", async () => {
  const r = membership();
  await r.m.load();
  await r.m.invite();
  assert.deepEqual(r.named('members.showInvite').at(-1), ['https://chat.test/?room=team-a&invite=inv.tok', at(7 * 86_400_000)]);
  assert.deepEqual(r.api.calls.find(c => c[0] === 'invite'), ['invite', 'team-a', {}]);
});

test('member frames update the list and the log; about oneself, muted disables the composer until the time', async () => {
  const r = membership({ me: bob });
  await r.m.load();
  r.m.frame({ type: 'member', room: 'team-a', event: 'joined', user: { id: 'u_c', name: 'Cy' }, role: 'member', at: at(0) });
  assert.deepEqual(r.named('members.show').at(-1)[0].members.map(m => m.id), ['u_o', 'u_m', 'u_b', 'u_c']);
  assert.deepEqual(r.named('messages.showSystemLine').at(-1), ['Cy joined the room']);

  r.m.frame({ type: 'member', room: 'team-a', event: 'muted', user: { id: 'u_b', name: 'Bob' }, by: { id: 'u_o', name: 'Olive' }, until: at(60_000), at: at(0) });
  assert.match(r.named('composer.setMuted').at(-1)[0], /^You are muted until \d{1,2}:\d\d( [AP]M)?\.$/);
  assert.equal(r.m.mutedUntil, at(60_000));
  assert.equal(r.named('messages.showSystemLine').length, 1, 'about oneself the composer says it');
  await r.clock.advance(60_000);
  assert.deepEqual(r.named('composer.setMuted').at(-1), [null], 'the mute ends by itself');

  r.m.frame({ type: 'member', room: 'other', event: 'muted', user: { id: 'u_b', name: 'Bob' }, until: at(120_000), at: at(0) });
  assert.equal(r.m.mutedUntil, null, "another room's frame changes nothing");
});

test("a refused send with error muted disables the composer; unmuted enables it", async () => {
  const r = membership({ me: bob });
  await r.m.load();
  r.m.frame({ type: 'error', code: 'muted', message: 'You are muted', clientMessageId: 'c-1', until: at(600_000) });
  assert.equal(r.m.mutedUntil, at(600_000));
  r.m.frame({ type: 'member', room: 'team-a', event: 'unmuted', user: { id: 'u_b', name: 'Bob' }, at: at(1) });
  assert.deepEqual(r.named('composer.setMuted').at(-1), [null]);
  assert.equal(r.m.mutedUntil, null);
});

test('kicked, banned or removed: by the frame about oneself or by the close code, once, with who did it', async () => {
  const kicked = membership({ me: bob });
  await kicked.m.load();
  kicked.m.frame({ type: 'member', room: 'team-a', event: 'kicked', user: { id: 'u_b', name: 'Bob' }, by: { id: 'u_o', name: 'Olive' }, at: at(0) });
  kicked.m.closed(4401);
  assert.deepEqual(kicked.ended, [{ reason: 'kicked', room: 'team-a', by: 'Olive', until: null, detail: null }]);
  assert.deepEqual(kicked.named('notice.ended'), [[kicked.ended[0]]]);
  assert.deepEqual(kicked.named('members.available').at(-1), [false], 'no Members button once the stay ended');

  const banned = membership({ me: bob });
  await banned.m.load();
  banned.m.closed(1001);
  assert.deepEqual(banned.ended, [], 'an ordinary close is not an ending');
  banned.m.closed(4402);
  assert.equal(banned.ended[0].reason, 'banned');

  const removed = membership({ me: bob });
  await removed.m.load();
  removed.m.closed(4403);
  assert.equal(removed.ended[0].reason, 'removed');
});

test('a frame about someone else being kicked only tells the room', async () => {
  const r = membership({ me: bob });
  await r.m.load();
  r.m.frame({ type: 'member', room: 'team-a', event: 'kicked', user: { id: 'u_m', name: 'Mo' }, by: { id: 'u_o', name: 'Olive' }, at: at(0) });
  assert.deepEqual(r.ended, []);
  assert.deepEqual(r.named('messages.showSystemLine').at(-1), ['Mo was kicked by Olive']);
});

test('a ban frame lists the ban for Unban at once; an unban frame takes it away', async () => {
  const r = membership();
  await r.m.load();
  r.m.frame({ type: 'member', room: 'team-a', event: 'banned', user: { id: 'u_b', name: 'Bob' }, by: { id: 'u_o', name: 'Olive' }, at: at(0) });
  let [model] = r.named('members.show').at(-1);
  assert.deepEqual(model.bans.map(b => [b.user.id, b.until]), [['u_b', null]]);
  assert.equal(model.members.some(m => m.id === 'u_b'), false, 'a private room drops the banned member');
  r.m.frame({ type: 'member', room: 'team-a', event: 'unbanned', user: { id: 'u_b', name: 'Bob' }, at: at(1) });
  [model] = r.named('members.show').at(-1);
  assert.deepEqual(model.bans, []);
});

test('leaving the room removes oneself and ends the stay as left, also when the 4403 close comes first', async () => {
  const r = membership({ me: bob });
  await r.m.load();
  await r.m.leaveRoom();
  assert.deepEqual(r.api.calls.at(-1), ['removeMember', 'team-a', 'u_b']);
  assert.deepEqual(r.ended.map(e => e.reason), ['left']);

  const early = membership({ me: bob });
  await early.m.load();
  early.api.removeMember = async () => { early.m.closed(4403); return null; };
  await early.m.leaveRoom();
  assert.deepEqual(early.ended.map(e => e.reason), ['left']);
});

test('a role frame about oneself changes what one may do', async () => {
  const r = membership({ me: bob });
  await r.m.load();
  r.m.frame({ type: 'member', room: 'team-a', event: 'role', user: { id: 'u_b', name: 'Bob' }, role: 'moderator', at: at(0) });
  const [model] = r.named('members.show').at(-1);
  assert.equal(model.canInvite, true);
  await settle();
});

test('presence frames mark members online or offline, and list visitors (online without a role) for moderators', async () => {
  const r = membership();
  await r.m.load();
  r.m.frame({ type: 'presence', room: 'team-a', status: 'online', user: { id: 'u_m', name: 'Mo' } });
  assert.equal(r.named('members.show').at(-1)[0].members.find(m => m.id === 'u_m').online, true);
  r.m.frame({ type: 'presence', room: 'team-a', status: 'offline', user: { id: 'u_b', name: 'Bob' } });
  assert.equal(r.named('members.show').at(-1)[0].members.find(m => m.id === 'u_b').online, false);
  r.m.frame({ type: 'presence', room: 'team-a', status: 'online', user: { id: 'u_z', name: 'Zed' } });
  let [model] = r.named('members.show').at(-1);
  assert.deepEqual(model.visitors.map(v => [v.id, v.role, v.actions]), [['u_z', null, ['mute', 'kick', 'ban']]]);
  r.m.frame({ type: 'presence', room: 'other', status: 'offline', user: { id: 'u_z', name: 'Zed' } });
  assert.equal(r.named('members.show').at(-1)[0].visitors.length, 1, "another room's presence changes nothing");
  r.m.frame({ type: 'presence', room: 'team-a', status: 'offline', user: { id: 'u_z', name: 'Zed' } });
  [model] = r.named('members.show').at(-1);
  assert.deepEqual(model.visitors, []);
});

test("a public room's visitors, read with the presence list, can be muted, kicked and banned by a moderator; members see none", async () => {
  const room = { room: 'team-a', visibility: 'public', owner: { id: olive.id, name: 'Olive' } };
  const owner = membership({ room: { ...room, role: 'owner' } });
  owner.api.access = async () => ({ room: 'team-a', users: [{ id: 'u_o', name: 'Olive' }, { id: 'u_v', name: 'Vic' }] });
  await owner.m.load();
  const [model] = owner.named('members.show').at(-1);
  assert.deepEqual(model.visitors.map(v => [v.id, v.name, v.online, v.actions]), [['u_v', 'Vic', true, ['mute', 'kick', 'ban']]]);
  owner.m.frame({ type: 'member', room: 'team-a', event: 'muted', user: { id: 'u_v', name: 'Vic' }, until: at(60_000), at: at(0) });
  assert.equal(owner.named('members.show').at(-1)[0].visitors[0].mutedUntil, at(60_000));
  assert.deepEqual(owner.named('members.show').at(-1)[0].visitors[0].actions, ['unmute', 'kick', 'ban']);
  owner.m.frame({ type: 'member', room: 'team-a', event: 'joined', user: { id: 'u_v', name: 'Vic' }, role: 'member', at: at(1) });
  assert.deepEqual(owner.named('members.show').at(-1)[0].visitors, [], 'joined: now a member');

  const member = membership({ me: bob, room: { ...room, role: 'member' } });
  await member.m.load();
  member.m.frame({ type: 'presence', room: 'team-a', status: 'online', user: { id: 'u_v', name: 'Vic' } });
  assert.deepEqual(member.named('members.show').at(-1)[0].visitors, []);
  assert.equal(member.api.calls.some(c => c[0] === 'access'), false);
});

test('a ban read from the log that names its user by id only keeps the name the panel knew', async () => {
  const log = [];
  const r = membership({ log });
  await r.m.load();
  log.push({ action: 'ban', user: { id: 'u_b' }, by: { id: 'u_o', name: 'Olive' } });
  await r.m.act('ban', 'u_b', null);
  const [model] = r.named('members.show').at(-1);
  assert.deepEqual(model.bans.map(b => [b.user.id, b.user.name, b.until]), [['u_b', 'Bob', null]]);
});

test("the members' answer says who is muted until when: Unmute instead of Mute while it lasts; frames keep it current", async () => {
  const members = [olive, mo, { ...bob, mutedUntil: at(60_000) }];
  const r = membership({ members });
  await r.m.load();
  const bobShown = () => r.named('members.show').at(-1)[0].members.find(m => m.id === 'u_b');
  assert.equal(bobShown().mutedUntil, at(60_000));
  assert.deepEqual(bobShown().actions, ['unmute', 'kick', 'ban', 'remove', 'promote']);
  r.m.frame({ type: 'member', room: 'team-a', event: 'unmuted', user: { id: 'u_b', name: 'Bob' }, by: { id: 'u_o', name: 'Olive' }, at: at(1) });
  assert.equal(bobShown().mutedUntil, null);
  assert.deepEqual(bobShown().actions, ['mute', 'kick', 'ban', 'remove', 'promote']);
  r.m.frame({ type: 'member', room: 'team-a', event: 'muted', user: { id: 'u_b', name: 'Bob' }, until: at(30_000), at: at(2) });
  assert.equal(bobShown().actions[0], 'unmute');

  // Once the mute is over, the panel shows Mute again and no "muted until".
  await r.clock.advance(61_000);
  await r.m.refresh();
  assert.equal(bobShown().mutedUntil, null);
  assert.equal(bobShown().actions[0], 'mute');

  // The server is believed over an older frame: an answer without mutedUntil is no mute.
  members[2] = bob;
  r.m.frame({ type: 'member', room: 'team-a', event: 'muted', user: { id: 'u_b', name: 'Bob' }, until: at(600_000), at: at(3) });
  await r.m.refresh();
  assert.equal(bobShown().mutedUntil, null);
});
