import {
  CONFIG_REFERENCE_END,
  CONFIG_REFERENCE_START,
  readConfigReferenceSection,
  writeConfigReferenceSection,
} from './readme-section';

const README = `# Title\n\nProse.\n\n${CONFIG_REFERENCE_START}\n\nold table\n\n${CONFIG_REFERENCE_END}\n\nMore prose.\n`;

describe('the README configuration section', () => {
  it('replaces only what stands between the markers', () => {
    const updated = writeConfigReferenceSection(README, '| new |');

    expect(updated).toBe(
      `# Title\n\nProse.\n\n${CONFIG_REFERENCE_START}\n\n| new |\n\n${CONFIG_REFERENCE_END}\n\nMore prose.\n`,
    );
    expect(readConfigReferenceSection(updated)).toBe('| new |');
  });

  it('is unchanged when rewritten with the table it holds', () => {
    expect(writeConfigReferenceSection(README, 'old table')).toBe(README);
  });

  it('refuses a README without the markers', () => {
    expect(() => readConfigReferenceSection('# Title\n')).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }) as Error,
    );
  });
});
