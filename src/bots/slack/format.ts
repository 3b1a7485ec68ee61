/**
 * Docent's replies are Markdown; Slack speaks mrkdwn. Text is escaped first (&, <, > as Slack
 * requires), then Markdown links, bold and headings become mrkdwn.
 */
export function toMrkdwn(markdown: string): string {
  const links: string[] = [];
  // Pull links out before escaping, so their URLs survive intact.
  const withPlaceholders = markdown.replace(/\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g, (_m, label: string, url: string) => {
    links.push(`<${url}|${escape(label).replace(/\|/g, '¦')}>`);
    return `\uE000${links.length - 1}\uE000`;
  });
  return escape(withPlaceholders)
    .replace(/^#{1,6}\s+(.+)$/gm, '*$1*')
    .replace(/\*\*([^*\n]+)\*\*/g, '*$1*')
    .replace(/\uE000(\d+)\uE000/g, (_m, i: string) => links[Number(i)]);
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface SlackSectionBlock {
  type: 'section';
  text: { type: 'mrkdwn'; text: string };
}

export const SECTION_LIMIT = 3000;
export const BLOCKS_PER_MESSAGE = 50;

/**
 * mrkdwn as Block Kit section blocks (at most 3,000 characters each, cut at line ends), grouped
 * into messages of at most 50 blocks (room is left for one more block, such as buttons).
 */
export function toBlockMessages(mrkdwn: string): SlackSectionBlock[][] {
  const sections: string[] = [];
  let current = '';
  for (const line of mrkdwn.split('\n')) {
    const pieces = line.length > SECTION_LIMIT ? (line.match(new RegExp(`[\\s\\S]{1,${SECTION_LIMIT}}`, 'g')) ?? []) : [line];
    for (const piece of pieces) {
      const next = current.length === 0 ? piece : `${current}\n${piece}`;
      if (next.length > SECTION_LIMIT) {
        sections.push(current);
        current = piece;
      } else current = next;
    }
  }
  if (current.trim().length > 0 || sections.length === 0) sections.push(current.length > 0 ? current : ' ');
  const blocks = sections.map((text): SlackSectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text } }));
  const messages: SlackSectionBlock[][] = [];
  for (let i = 0; i < blocks.length; i += BLOCKS_PER_MESSAGE - 1) messages.push(blocks.slice(i, i + BLOCKS_PER_MESSAGE - 1));
  return messages;
}
