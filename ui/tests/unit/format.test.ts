import { describe, expect, it } from 'vitest';
import * as fmt from '../../src/lib/format';

describe('format', () => {
  it('counts with thousands separators', () => {
    expect(fmt.count(0)).toBe('0');
    expect(fmt.count(100000)).toBe('100,000');
    expect(fmt.count(1234.6)).toBe('1,235');
  });

  it('shows bytes in binary units', () => {
    expect(fmt.bytes(0)).toBe('0 B');
    expect(fmt.bytes(1023)).toBe('1023 B');
    expect(fmt.bytes(1536)).toBe('1.5 KB');
    expect(fmt.bytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(fmt.bytes(300 * 1024 ** 3)).toBe('300 GB');
    expect(fmt.bytes(Number.NaN)).toBe('0 B');
  });

  it('shows throughput and time left', () => {
    expect(fmt.rate(0)).toBe('0 MB/s');
    expect(fmt.rate(12.345)).toBe('12.3 MB/s');
    expect(fmt.rate(257.4)).toBe('257 MB/s');
    expect(fmt.eta(null)).toBe('counting files…');
    expect(fmt.eta(42.4)).toBe('42 s');
    expect(fmt.eta(75)).toBe('1 min 15 s');
    expect(fmt.eta(3725)).toBe('1 h 02 min');
    expect(fmt.elapsed(61_500)).toBe('1:01');
  });

  it('bounds progress ratios', () => {
    expect(fmt.ratio(5, 0)).toBe(0);
    expect(fmt.ratio(5, 10)).toBe(0.5);
    expect(fmt.ratio(12, 10)).toBe(1);
  });

  it('words for people', () => {
    expect(fmt.plural(1, 'finding')).toBe('1 finding');
    expect(fmt.plural(109, 'finding')).toBe('109 findings');
    expect(fmt.statusLabel('false_positive')).toBe('False positive');
    expect(fmt.statusLabel('something_new')).toBe('something_new');
    expect(fmt.words('non_human')).toBe('non-human');
    expect(fmt.words('private_key')).toBe('private key');
    expect(fmt.when('2026-11-29T11:42:13Z')).toBe('2026-11-29 11:42');
    expect(fmt.when(null)).toBe('—');
    expect(fmt.baseName('/home/a/acme.credence')).toBe('acme.credence');
    expect(fmt.baseName('C:\\cases\\acme.credence')).toBe('acme.credence');
  });

  it('the files behind an identity route: the first, then how many more', () => {
    expect(fmt.files([])).toBe('');
    expect(fmt.files(['it/notes.txt'])).toBe('it/notes.txt');
    expect(fmt.files(['it/a.txt', 'it/b.txt'])).toBe('it/a.txt and 1 more file');
    expect(fmt.files(['it/a.txt', 'it/b.txt', 'it/c.txt'])).toBe('it/a.txt and 2 more files');
  });
});
