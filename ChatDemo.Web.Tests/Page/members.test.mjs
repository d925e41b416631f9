import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CLOSE_REASONS, actingRole, allowedActions, applyMemberFrame, canInvite, canLeave, currentBans, endingFor, endingText,
  inviteRefusal, sortMembers, untilText,
} from '../../wwwroot/modules/members.mjs';

const owner = { id: 'u_o', name: 'Olive', role: 'owner', joinedAt: '2026-01-01T00:00:00Z' };
const mod = { id: 'u_m', name: 'Mo', role: 'moderator', joinedAt: '2026-01-02T00:00:00Z' };
const mod2 = { id: 'u_m2', name: 'Max', role: 'moderator', joinedAt: '2026-01-03T00:00:00Z' };
const bob = { id: 'u_b', name: 'Bob', role: 'member', joinedAt: '2026-01-04T00:00:00Z' };
const cy = { id: 'u_c', name: 'Cy', role: 'member', joinedAt: '2026-01-05T00:00:00Z' };

test('an administrator acts as an owner everywhere; otherwise the role, or none', () => {
  assert.equal(actingRole(null, true), 'owner');
  assert.equal(actingRole('member', true), 'owner');
  assert.equal(actingRole('moderator', false), 'moderator');
  assert.equal(actingRole(undefined, false), null);
});

test('owners and moderators invite; members and outsiders do not', () => {
  assert.equal(canInvite('owner'), true);
  assert.equal(canInvite('moderator'), true);
  assert.equal(canInvite('member'), false);
  assert.equal(canInvite(null), false);
});

test("an owner may do everything to members and moderators, nothing to themself", () => {
  assert.deepEqual(allowedActions('owner', owner.id, bob), ['mute', 'kick', 'ban', 'remove', 'promote']);
  assert.deepEqual(allowedActions('owner', owner.id, mod), ['mute', 'kick', 'ban', 'remove', 'demote']);
  assert.deepEqual(allowedActions('owner', owner.id, owner), []);
});

test('a moderator may act on members only: never on the owner, another moderator or themself, and never on roles', () => {
  assert.deepEqual(allowedActions('moderator', mod.id, bob), ['mute', 'kick', 'ban', 'remove']);
  assert.deepEqual(allowedActions('moderator', mod.id, mod2), []);
  assert.deepEqual(allowedActions('moderator', mod.id, owner), []);
  assert.deepEqual(allowedActions('moderator', mod.id, mod), []);
});

test('a visitor (online without a role) can be muted, kicked and banned, not removed or promoted', () => {
  const visitor = { id: 'u_v', name: 'Vic', role: null };
  assert.deepEqual(allowedActions('owner', owner.id, visitor), ['mute', 'kick', 'ban']);
  assert.deepEqual(allowedActions('moderator', mod.id, visitor), ['mute', 'kick', 'ban']);
  assert.deepEqual(allowedActions('member', bob.id, visitor), []);
});

test('a muted member or visitor is offered Unmute instead of Mute, never both', () => {
  const until = '2026-03-01T10:10:00Z';
  assert.deepEqual(allowedActions('owner', owner.id, { ...bob, mutedUntil: until }), ['unmute', 'kick', 'ban', 'remove', 'promote']);
  assert.deepEqual(allowedActions('moderator', mod.id, { ...bob, mutedUntil: until }), ['unmute', 'kick', 'ban', 'remove']);
  assert.deepEqual(allowedActions('owner', owner.id, { id: 'u_v', role: null, mutedUntil: until }), ['unmute', 'kick', 'ban']);
  assert.deepEqual(allowedActions('owner', owner.id, { ...bob, mutedUntil: null }), ['mute', 'kick', 'ban', 'remove', 'promote']);
});

test('members and outsiders get no actions on anyone', () => {
  assert.deepEqual(allowedActions('member', bob.id, cy), []);
  assert.deepEqual(allowedActions(null, 'u_x', bob), []);
});

test('members and moderators may leave; an owner may not', () => {
  assert.equal(canLeave('member'), true);
  assert.equal(canLeave('moderator'), true);
  assert.equal(canLeave('owner'), false);
  assert.equal(canLeave(null), false);
});

test('members sort owner first, then moderators, then members by joinedAt', () => {
  assert.deepEqual(sortMembers([cy, bob, mod2, owner, mod]).map(m => m.id), ['u_o', 'u_m', 'u_m2', 'u_b', 'u_c']);
});

test('member frames keep the list: joined adds once, role moves, left and removed take out, mute marks', () => {
  const at = '2026-02-01T00:00:00Z';
  let list = [owner, bob];
  list = applyMemberFrame(list, { event: 'joined', user: { id: 'u_c', name: 'Cy' }, at });
  assert.deepEqual(list.map(m => [m.id, m.role]), [['u_o', 'owner'], ['u_b', 'member'], ['u_c', 'member']]);
  assert.equal(applyMemberFrame(list, { event: 'joined', user: { id: 'u_c', name: 'Cy' }, at }), list, 'a repeat changes nothing');
  list = applyMemberFrame(list, { event: 'role', user: { id: 'u_c', name: 'Cy' }, role: 'moderator', at });
  assert.deepEqual(list.map(m => [m.id, m.role]), [['u_o', 'owner'], ['u_c', 'moderator'], ['u_b', 'member']]);
  list = applyMemberFrame(list, { event: 'muted', user: { id: 'u_b', name: 'Bob' }, until: '2026-02-01T01:00:00Z', at });
  assert.equal(list.find(m => m.id === 'u_b').mutedUntil, '2026-02-01T01:00:00Z');
  list = applyMemberFrame(list, { event: 'unmuted', user: { id: 'u_b', name: 'Bob' }, at });
  assert.equal(list.find(m => m.id === 'u_b').mutedUntil, null);
  assert.deepEqual(applyMemberFrame(list, { event: 'removed', user: { id: 'u_b' }, at }).map(m => m.id), ['u_o', 'u_c']);
  assert.deepEqual(applyMemberFrame(list, { event: 'left', user: { id: 'u_c' }, at }).map(m => m.id), ['u_o', 'u_b']);
});

test('a ban takes the member out of a private room only; kicks change nothing', () => {
  const list = [owner, bob];
  const ban = { event: 'banned', user: { id: 'u_b', name: 'Bob' }, at: 'x' };
  assert.deepEqual(applyMemberFrame(list, ban, { privateRoom: true }).map(m => m.id), ['u_o']);
  assert.deepEqual(applyMemberFrame(list, ban, { privateRoom: false }).map(m => m.id), ['u_o', 'u_b']);
  assert.equal(applyMemberFrame(list, { event: 'kicked', user: { id: 'u_b' }, at: 'x' }), list);
});

test("current bans: each user's newest ban or unban decides, and a ban that has ended does not count", () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  const records = [ // newest first, as the server lists them
    { action: 'unban', user: { id: 'u_1' } },
    { action: 'ban', user: { id: 'u_2', name: 'Two' }, until: '2026-03-01T13:00:00Z', by: { id: 'u_o', name: 'Olive' } },
    { action: 'ban', user: { id: 'u_1', name: 'One' } },
    { action: 'ban', user: { id: 'u_3', name: 'Three' }, until: '2026-03-01T11:00:00Z' },
    { action: 'mute', user: { id: 'u_4', name: 'Four' }, until: '2026-03-01T13:00:00Z' },
    { action: 'ban', user: { id: 'u_5', name: 'Five' } },
  ];
  assert.deepEqual(currentBans(records, now).map(b => [b.user.id, b.until]), [['u_2', '2026-03-01T13:00:00Z'], ['u_5', null]]);
});

test('close codes 4401, 4402 and 4403 and the frames about oneself mean kicked, banned, removed', () => {
  assert.deepEqual(CLOSE_REASONS, { 4401: 'kicked', 4402: 'banned', 4403: 'removed' });
  assert.equal(endingFor({ event: 'kicked' }), 'kicked');
  assert.equal(endingFor({ event: 'banned' }), 'banned');
  assert.equal(endingFor({ event: 'removed' }), 'removed');
  assert.equal(endingFor({ event: 'muted' }), null);
});

test('until a time today, on another day, or for good', () => {
  const now = Date.parse('2026-03-01T10:00:00');
  assert.match(untilText('2026-03-01T14:05:00', now, 'en-GB'), /^until 14:05$/);
  assert.match(untilText('2026-03-04T09:00:00', now, 'en-GB'), /^until 4 Mar 09:00$/);
  assert.equal(untilText(null, now), 'for good');
});

test('what the page says when a stay ends', () => {
  assert.equal(endingText({ reason: 'kicked', room: 'team-a', by: 'Olive' }), 'You were kicked from #team-a by Olive. You may rejoin.');
  assert.equal(endingText({ reason: 'banned', room: 'team-a' }), 'You are banned from #team-a until a moderator lifts the ban.');
  const now = Date.parse('2026-03-01T10:00:00');
  assert.match(endingText({ reason: 'banned', room: 'team-a', by: 'Mo', until: '2026-03-01T14:05:00' }, now),
    /^You are banned from #team-a by Mo until \d\d?:05( [AP]M)?\.$/);
  assert.equal(endingText({ reason: 'removed', room: 'team-a', by: 'Mo' }), 'You were removed from #team-a by Mo.');
  assert.equal(endingText({ reason: 'refused', room: 'team-a', detail: 'Not a member' }), 'You cannot enter #team-a: Not a member.');
  assert.equal(endingText({ reason: 'refused', room: 'team-a', detail: 'Ask for an invitation.' }), 'You cannot enter #team-a: Ask for an invitation.');
});

test("an invite's refusal is said in words by its reason, else the problem's detail", () => {
  assert.match(inviteRefusal({ reason: 'expired', message: 'x' }), /expired/);
  assert.match(inviteRefusal({ reason: 'used_up', message: 'x' }), /used as often/);
  assert.match(inviteRefusal({ reason: 'wrong_room', message: 'x' }), /another room/);
  assert.equal(inviteRefusal({ reason: null, message: 'Forbidden' }), 'Forbidden');
});
