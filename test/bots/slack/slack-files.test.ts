import { describe, expect, it } from 'vitest';
import { isSignInPage } from '../../../src/bots/slack/slack-files.js';

const page = Buffer.from('<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to Slack</body></html>');
const html = Buffer.from('<!doctype html>\n<html><body><h1>Minutes</h1><p>The board met on Tuesday and approved the harbour budget.</p></body></html>');

describe('telling Slack’s sign-in page from a downloaded file', () => {
  it('an HTML answer for a file object of another type is the sign-in page', () => {
    expect(isSignInPage({ filetype: 'pdf', mimetype: 'application/pdf', size: 5000 }, 'text/html; charset=utf-8', page)).toBe(true);
    expect(isSignInPage({ filetype: 'png', mimetype: 'image/png', size: page.length }, 'text/html', page)).toBe(true);
    // Served under another content type, the page still shows by its start and its length.
    expect(isSignInPage({ filetype: 'pdf', mimetype: 'application/pdf', size: 5000 }, 'application/octet-stream', page)).toBe(true);
    expect(isSignInPage({ filetype: 'pdf', mimetype: 'application/pdf' }, '', page)).toBe(true);
  });

  it('a file of another type is the file when its body is not HTML', () => {
    expect(isSignInPage({ filetype: 'pdf', mimetype: 'application/pdf', size: 9 }, 'application/pdf', Buffer.from('%PDF-1.7\n'))).toBe(false);
  });

  it('a text file that begins with an HTML tag, of exactly its size and not served as HTML, is the file', () => {
    expect(isSignInPage({ filetype: 'text', mimetype: 'text/plain', size: html.length }, 'text/plain', html)).toBe(false);
  });

  it('when the file object says HTML the body is the document, unless its length is not the file’s size', () => {
    const file = { filetype: 'html', mimetype: 'text/html', size: html.length };
    expect(isSignInPage(file, 'text/html; charset=utf-8', html)).toBe(false);
    expect(isSignInPage(file, 'text/plain', html)).toBe(false);
    expect(isSignInPage(file, 'text/html; charset=utf-8', page)).toBe(true);
    // Without a size there is nothing to tell them apart by: the body is taken as the document.
    expect(isSignInPage({ filetype: 'html', mimetype: 'text/html' }, 'text/html', page)).toBe(false);
  });

  it('without a type in the file object, an .html name says HTML', () => {
    expect(isSignInPage({ name: 'minutes.html', size: html.length }, 'text/html', html)).toBe(false);
    expect(isSignInPage({ name: 'minutes.pdf', size: html.length }, 'text/html', html)).toBe(true);
  });
});
