import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectLanguage, languageName, mayBeIn } from '../../../src/core/knowledge/search/language.js';
import type { Core } from '../../../src/core/index.js';
import { translatingScript } from '../../fakes/chat-script.js';
import { startFakeGroq, type FakeGroq } from '../../fakes/groq-fake.js';
import { alice, bufferFile, scope, startCore, testConfig } from '../../helpers/core.js';
import { makePdf } from '../../helpers/pdfs.js';

const harbour = () =>
  makePdf([
    { heading: 'Fisheries', paragraphs: ['In 2023 the fishing fleet landed 18,000 tonnes of cod at the harbour. The catch was sold at the morning auction.'] },
    { heading: 'Traffic', paragraphs: ['The harbour handled 4,200 container ships during the year, most of them from Rotterdam.'] },
  ]);

const GERMAN = 'Wie viel Kabeljau hat die Fischereiflotte 2023 angelandet?';

const translating = () => translatingScript({ Kabeljau: 'How much cod did the fishing fleet land in 2023?' });

describe('the language of a text (offline, franc)', () => {
  it.each([
    [GERMAN, 'deu'],
    ['How much cod did the fishing fleet land in 2023?', 'eng'],
    ['Quel était le budget du musée en 2023 ?', 'fra'],
    ['¿Cuál fue el presupuesto del museo en 2023?', 'spa'],
  ])('%s is %s', (text, code) => expect(detectLanguage(text)).toBe(code));

  it('a short question that trigrams misread still counts as written in the documents’ language', () => {
    for (const english of ['How many visitors?', 'zeppelin airship timetable', 'Median income Texas?', 'library budget visitors 2022 2021 instructions', 'What about Texas?']) {
      expect(mayBeIn(english, 'eng')).toBe(true);
    }
    for (const other of [GERMAN, 'Wie hoch ist das Budget?', 'Quel était le budget du musée en 2023 ?', '¿Cuánto cuesta el peaje del puente?']) expect(mayBeIn(other, 'eng')).toBe(false);
  });

  it('says nothing for text too short or without words', () => {
    expect(detectLanguage('Budget?')).toBeUndefined();
    expect(detectLanguage('2023: 18,000 t — https://example.com/a/b/c')).toBeUndefined();
    expect(languageName('deu')).toBe('German');
  });
});

describe('a question in another language than the documents', () => {
  let groq: FakeGroq;
  let withModel: Core;
  let offline: Core;
  const here = scope('C-languages');

  beforeAll(async () => {
    groq = await startFakeGroq();
    groq.script = translating();
    withModel = await startCore(testConfig({ GROQ_API_KEY: groq.apiKey, GROQ_BASE_URL: groq.url }));
    offline = await startCore(testConfig());
    await Promise.all([withModel.start(), offline.start()]);
    const pdf = await harbour();
    await withModel.knowledge.ingest(here, bufferFile('harbour.pdf', pdf), alice);
    await offline.knowledge.ingest(here, bufferFile('harbour.pdf', pdf), alice);
  });
  afterAll(async () => {
    await Promise.all([withModel.close(), offline.close()]);
    await groq.close();
  });

  it('is searched in the documents’ language (the model translates it) and answered in the asker’s, from the passages', async () => {
    groq.chats.length = 0;
    const result = await withModel.answers.answer(here, GERMAN);
    expect(result.languages).toEqual({ question: 'German', documents: 'English' });
    expect(result.query).toBe('How much cod did the fishing fleet land in 2023?');
    expect(result.grounded).toBe(true);
    expect(result.citations[0]?.excerpt).toContain('18,000 tonnes of cod');
    const [translation, answer] = groq.chats;
    expect(translation?.messages.at(-1)?.content).toBe(`Language: English\nQuestion: ${GERMAN}\n\nTranslation:`);
    const prompt = answer?.messages.at(-1)?.content ?? '';
    expect(prompt).toContain(`Question: ${GERMAN}\n(Meaning, in full: How much cod did the fishing fleet land in 2023?)`);
    expect(prompt).toContain('Answer in German, the language of the question. The passages are in English: quote them as they are written.');
  });

  it('a question in the documents’ language is neither translated nor told to switch language', async () => {
    groq.chats.length = 0;
    const result = await withModel.answers.answer(here, 'How many container ships did the harbour handle during the year?');
    expect(result.languages).toBeUndefined();
    expect(groq.chats).toHaveLength(1);
    expect(groq.chats[0]?.messages.at(-1)?.content).not.toContain('Answer in');
  });

  it('a failing translation searches with the question as asked', async () => {
    groq.chats.length = 0;
    groq.failNext(3, { status: 400, body: { error: { message: 'bad request', type: 'invalid_request_error' } } });
    const result = await withModel.answers.answer(here, 'Wie viele Containerschiffe hat der Hafen abgefertigt?');
    expect(result.languages).toEqual({ question: 'German', documents: 'English' });
    expect(result.query).toBe('Wie viele Containerschiffe hat der Hafen abgefertigt?');
  });

  it('offline, says that it cannot translate and that the passages are quoted in English', async () => {
    const result = await offline.answers.answer(here, 'Wie viele Schiffe hat der Hafen 2023 abgefertigt, 4,200 container ships?');
    expect(result.languages).toEqual({ question: 'German', documents: 'English' });
    expect(result.answer).toContain('Your question looks German and the documents here are in English; without a model Docent cannot translate, so it searched with your words and quotes the passages in English.');
    const refused = await offline.answers.answer(here, GERMAN);
    expect(refused.grounded).toBe(false);
    expect(refused.answer).toContain('without a model Docent cannot translate');
  });
});
