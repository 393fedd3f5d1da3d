import assert from 'node:assert/strict';
import {
  SchemaTooNewError,
  STORAGE_ERROR_CLASSES,
  StorageUnavailableError,
} from '../../../connectors/storage';

describe('storage errors', () => {
  it('have unique winfix_storage_ codes', () => {
    const codes = STORAGE_ERROR_CLASSES.map((C) => new C(0 as never, 0 as never).code);
    assert.equal(new Set(codes).size, codes.length);
    for (const code of codes) assert.match(code, /^winfix_storage_[a-z_]+$/);
  });

  it('keep the cause and name the versions', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new StorageUnavailableError('cannot reach the database', { cause });
    assert.equal(error.cause, cause);
    assert.equal(error.name, 'StorageUnavailableError');
    assert.match(new SchemaTooNewError(3, 1).message, /version 3, newer than this winfix knows \(1\)/);
  });
});
