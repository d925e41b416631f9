import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MAX_TEXT, checkName, checkRoom, checkText, cleanText, codePoints, failureReason, isRoom, newClientMessageId, parseFrame,
} from '../../wwwroot/modules/protocol.mjs';

describe('names, as the server normalizes them', () => {
  test('are trimmed and accept letters of any script, combining marks, digits and - _ . \'', () => {
    assert.deepEqual(checkName('  Alice  '), { ok: true, name: 'Alice' });
    for (const name of ["Zoë O'Brien-Smith", '李小龍', 'Ελένη_2', 'e\u0301mile.', 'Nguyễn Văn A']) {
      assert.equal(checkName(name).ok, true, name);
    }
  });

  test('are refused when empty, with symbols or emoji, or with control characters anywhere', () => {
    assert.equal(checkName('   ').error, 'Please enter a display name.');
    for (const name of ['<b>', 'Alice!', 'a@b', 'Bob 🙂', 'tab\there']) assert.equal(checkName(name).ok, false, name);
    assert.match(checkName('Alice\n').error, /control characters/);
    assert.match(checkName('\u0085Alice').error, /control characters/);
  });

  test('are at most 32 code points', () => {
    assert.equal(checkName('a'.repeat(32)).ok, true);
    assert.match(checkName('a'.repeat(33)).error, /1-32/);
    // 𝐀 is one letter (one code point) in two UTF-16 units: 32 of them are 64 units, still allowed.
    assert.equal(checkName('𝐀'.repeat(32)).ok, true);
    assert.equal(checkName('𝐀'.repeat(33)).ok, false);
  });
});

describe('rooms', () => {
  test('default to the lobby and are 1-64 of A-Z a-z 0-9 _ -', () => {
    assert.deepEqual(checkRoom(''), { ok: true, room: 'lobby' });
    assert.deepEqual(checkRoom(' garden '), { ok: true, room: 'garden' });
    assert.equal(checkRoom('r'.repeat(64)).ok, true);
    for (const room of ['r'.repeat(65), 'two words', 'café', 'a/b', '../x']) assert.equal(checkRoom(room).ok, false, room);
    assert.equal(isRoom('Kitchen_2-b'), true);
    assert.equal(isRoom(null), false);
  });
});

describe('message text', () => {
  test('loses control characters other than newline and tab, and surrounding space', () => {
    assert.equal(cleanText('  a\u0000b\r\nc\td\u007f\u0085  '), 'ab\nc\td');
  });

  test('loses unpaired surrogates but keeps pairs', () => {
    assert.equal(cleanText('a\uD83Db\uDE00c😀'), 'abc😀');
  });

  test('is counted in code points and sendable from 1 to 2000', () => {
    assert.equal(codePoints('😀😀'), 2);
    assert.deepEqual(checkText(' \n '), { text: '', length: 0, over: false, sendable: false });
    assert.equal(checkText('😀'.repeat(MAX_TEXT)).sendable, true);
    const over = checkText('a'.repeat(MAX_TEXT + 1));
    assert.equal(over.over, true);
    assert.equal(over.sendable, false);
  });
});

test('a clientMessageId is a valid protocol identifier and differs per message', () => {
  const a = newClientMessageId();
  const b = newClientMessageId();
  assert.match(a, /^[A-Za-z0-9_-]{1,64}$/);
  assert.notEqual(a, b);
  assert.equal(newClientMessageId(36 ** 3, 'abcdef12-0000'), 'c-1000-abcdef12');
});

test('frames are JSON objects with a type; anything else is ignored', () => {
  assert.deepEqual(parseFrame('{"type":"pong"}'), { type: 'pong' });
  for (const data of ['not json', 'null', '42', '"message"', '{"seq":1}', '[]']) assert.equal(parseFrame(data), null, data);
});

test('error frames are explained in words', () => {
  assert.equal(failureReason({ code: 'rate_limited' }), 'too many messages at once. Wait a moment, then retry.');
  assert.equal(failureReason({ code: 'validation_failed', message: 'text must be 1-2000 characters' }),
    'the server refused it (text must be 1-2000 characters)');
  assert.equal(failureReason({ code: 'validation_failed' }), 'the server refused it');
  assert.equal(failureReason({ code: 'something_new', message: 'explained' }), 'explained');
  assert.equal(failureReason({ code: 'something_new' }), 'something_new');
});
