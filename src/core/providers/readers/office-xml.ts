import { Parser } from 'htmlparser2';

/** Walks an XML part: `open` and `close` get local names (no prefix), `text` the character data. */
export function walkXml(xml: string, handlers: { open?(name: string, attributes: Record<string, string>): void; close?(name: string): void; text?(text: string): void }): void {
  const local = (name: string) => name.slice(name.indexOf(':') + 1);
  const parser = new Parser(
    {
      onopentag: (name, attributes) => handlers.open?.(local(name), attributes),
      onclosetag: (name) => handlers.close?.(local(name)),
      ontext: (text) => handlers.text?.(text),
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml);
  parser.end();
}
