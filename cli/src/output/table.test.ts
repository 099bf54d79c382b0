import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderJson, renderTable } from './table';
import { cell, formatAttributes, formatNumber, usedOfTotal } from './format';

test('columns are padded to the widest cell, no trailing spaces', () => {
  const out = renderTable(['ID', 'NAME', 'STATE'], [['a', 'web', 'TASK_RUNNING'], ['long-id', 'x', '']]);
  assert.equal(out, 'ID       NAME  STATE\na        web   TASK_RUNNING\nlong-id  x\n');
});

test('a table with no rows is just the header', () => {
  assert.equal(renderTable(['ID', 'HOST'], []), 'ID  HOST\n');
});

test('json is indented and newline-terminated', () => {
  assert.equal(renderJson([{ a: 1 }]), '[\n  {\n    "a": 1\n  }\n]\n');
});

test('numbers, used/total, attributes, empty cells', () => {
  assert.equal(formatNumber(0.1 + 0.2), '0.3');
  assert.equal(formatNumber(2), '2');
  assert.equal(usedOfTotal(0.5, 4), '0.5/4');
  assert.equal(usedOfTotal(undefined, 4), '0/4');
  assert.equal(formatAttributes({ zone: 'z1', rack: 'a', level: 3 }), 'level:3;rack:a;zone:z1');
  assert.equal(formatAttributes({}), '-');
  assert.equal(cell(''), '-');
  assert.equal(cell('x'), 'x');
});
