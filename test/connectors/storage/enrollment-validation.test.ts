import assert from 'node:assert/strict';
import { formatIdentity, parseIdentity } from '../../../connectors/storage/enrollment-identity';
import {
  computerKey,
  computerNameProblem,
  workerGroupProblem,
} from '../../../connectors/storage/enrollments';

describe('enrollment identities', () => {
  it('reads teams:<AAD object id> (lowercased), slack:<user id> and bare e-mail addresses (lowercased)', () => {
    assert.deepEqual(parseIdentity('teams:2B7E1516-28AE-4D2A-A6F7-15880C3C4F3C'), {
      platform: 'teams',
      userId: '2b7e1516-28ae-4d2a-a6f7-15880c3c4f3c',
    });
    assert.deepEqual(parseIdentity(' slack:U0123ABCD '), { platform: 'slack', userId: 'U0123ABCD' });
    assert.deepEqual(parseIdentity('Slack:W0123ABCDEF'), { platform: 'slack', userId: 'W0123ABCDEF' });
    assert.deepEqual(parseIdentity('Alice.Smith@Example.COM'), {
      platform: 'email',
      userId: 'alice.smith@example.com',
    });
  });

  it('writes them back as people type them', () => {
    assert.equal(formatIdentity({ platform: 'email', userId: 'a@b.jp' }), 'a@b.jp');
    assert.equal(formatIdentity({ platform: 'slack', userId: 'U0123ABCD' }), 'slack:U0123ABCD');
  });

  it('says what is wrong with anything else', () => {
    assert.equal(
      parseIdentity('bob'),
      'unknown user "bob": expected teams:<AAD object id>, slack:<user id> or an e-mail address',
    );
    assert.match(parseIdentity('teams:29:1abc') as string, /^Teams user "teams:29:1abc": expected .*GUID/);
    assert.match(parseIdentity('slack:u0123abcd') as string, /^Slack user "slack:u0123abcd": expected/);
    assert.match(parseIdentity('slack:X0123ABCD') as string, /^Slack user/);
    assert.match(parseIdentity('slack:U01') as string, /^Slack user/);
    for (const text of ['', 'mailto:a@b.com', 'a@b', 'a b@c.com', 'a@@b.com', 'console:me', 'a@b.com,x'])
      assert.match(parseIdentity(text) as string, /^unknown user/, text);
  });
});

describe('computer and worker group names', () => {
  it('accepts NetBIOS names and DNS names whose first label is one', () => {
    for (const name of [
      'PC-0042',
      'a',
      'ABCDEFGHIJKLMNO',
      '7PC',
      'pc-0042.corp.example.com',
      `pc1.${'a'.repeat(63)}`,
    ])
      assert.equal(computerNameProblem(name), null, name);
  });

  it('names the rule a computer name breaks', () => {
    assert.equal(
      computerNameProblem('ABCDEFGHIJKLMNOP'),
      'computer name "ABCDEFGHIJKLMNOP" is longer than 15 characters',
    );
    assert.equal(computerNameProblem('1234'), 'computer name "1234" is all digits');
    assert.equal(computerNameProblem('-PC'), 'computer name "-PC" starts or ends with a hyphen');
    assert.equal(computerNameProblem('PC-'), 'computer name "PC-" starts or ends with a hyphen');
    assert.equal(computerNameProblem(''), 'computer name is empty');
    assert.equal(
      computerNameProblem('PC_1'),
      'computer name "PC_1" has "_": only letters, digits and hyphens are allowed',
    );
    assert.equal(
      computerNameProblem('bad name; drop'),
      'computer name "bad name; drop" has " ": only letters, digits and hyphens are allowed',
    );
    assert.equal(
      computerNameProblem('VERYLONGHOSTNAME1.corp.example.com'),
      'computer name "VERYLONGHOSTNAME1.corp.example.com": its NetBIOS name "VERYLONGHOSTNAME1" is longer than 15 characters',
    );
    assert.match(computerNameProblem('123.corp.example.com') ?? '', /its NetBIOS name "123" is all digits/);
    assert.match(computerNameProblem('pc.-corp.com') ?? '', /label "-corp" starts or ends with a hyphen/);
    assert.match(computerNameProblem(`pc.${'a'.repeat(64)}.com`) ?? '', /label "a+" is longer than 63/);
    assert.match(computerNameProblem('pc..com') ?? '', /has an empty label/);
    assert.match(computerNameProblem('pc.com.') ?? '', /has an empty label/);
    const long = `pc.${Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.')}`;
    assert.equal(computerNameProblem(long), `computer name "${long}" is longer than 253 characters`);
  });

  it('treats short and DNS names of one PC, in any case, as one PC', () => {
    assert.equal(computerKey('PC-0042.corp.example.com'), computerKey('pc-0042'));
    assert.notEqual(computerKey('PC-0042'), computerKey('PC-0043'));
  });

  it('checks worker group names as Azure Automation allows them', () => {
    for (const name of ['hrw-pc-0042', 'HRW_PC.42', '9', 'g'.repeat(128)])
      assert.equal(workerGroupProblem(name), null);
    assert.equal(workerGroupProblem('_hrw'), 'worker group "_hrw" must start with a letter or a digit');
    assert.equal(
      workerGroupProblem('g'.repeat(129)),
      `worker group "${'g'.repeat(129)}" is longer than 128 characters`,
    );
    assert.match(workerGroupProblem('hrw pc') ?? '', /^worker group "hrw pc" has " ": only letters, digits/);
    assert.equal(workerGroupProblem(''), 'worker group name is empty');
  });
});
