#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make-pages.py DIR - the pages of t1110-html-extract.tap, one pattern each.

Each pattern of issue 28 (real pages the article extraction got wrong)
is reproduced in a small page NAME.html written to DIR, with NAME.keep
(sentences the article must hold, one a line), NAME.drop (sentences it
must not hold) and, for metadata, NAME.meta (IR meta lines "key=value").
The article text is generated, so a page is never copied from a site."""
import json
import os
import sys

WORDS = ("the council reported that rainfall in the northern districts rose again this "
         "season while farmers planted earlier than usual and the markets stayed open "
         "longer because roads were repaired before the harvest began").split()


def sentence(seed, n=18):
    """A sentence of N words picked from WORDS by SEED, capitalised, ending in a period."""
    w = [WORDS[(seed * 7 + i * 5) % len(WORDS)] for i in range(n)]
    return f"Item {seed} says " + " ".join(w) + ", as planned."


def para(seed, k=4):
    return " ".join(sentence(seed * 10 + i) for i in range(k))


def page(title, body, head=""):
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{title}</title>{head}</head>\n<body>\n{body}\n</body></html>\n")


NAV = ('<nav><ul>' + ''.join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(8)) +
       '</ul></nav>')
SIDEBAR_LINKS = ''.join(f'<li><a href="/story{i}">Sidebar story number {i} about the weather</a></li>'
                        for i in range(10))


def pages():
    out = {}
    # 1. a class word (sidebar, modal) on the real container
    keep = [sentence(i) for i in range(100, 112)]
    body = (NAV + '<div class="content-with-sidebar-wrp modal-enabled"><div class="left-side">'
            '<h1>Rain returns to the north</h1>' +
            ''.join(f'<p>{" ".join(keep[i:i + 3])}</p>' for i in range(0, 12, 3)) +
            '</div><div class="sidebar"><h3>Most read</h3><ul>' + SIDEBAR_LINKS +
            '</ul></div></div><div class="site-info"><p>About this site: the example council '
            'publishes news for the districts every week.</p></div>'
            '<footer><p>Copyright the example council, all rights reserved.</p></footer>')
    out['sidebar-class'] = (page('Rain returns to the north', body), keep,
                            ['Sidebar story number 3 about the weather',
                             'About this site: the example council publishes news for the districts every week.'], {})
    # 2. bare text between <br>s in a div that also holds other blocks
    keep = [sentence(i) for i in range(200, 209)]
    body = (NAV + '<div id="main"><h1>Harvest notes</h1>' +
            '<br><br>'.join(" ".join(keep[i:i + 3]) for i in range(0, 9, 3)) +
            '<div class="tools"><a href="/print">Print</a> <a href="/mail">Mail</a></div></div>'
            '<div id="foot"><p>This site is run by the example council, with thanks to the volunteers.</p>'
            '<p>Contact the editors at the town hall, second floor, during office hours.</p></div>')
    out['br-text'] = (page('Harvest notes', body), keep,
                      ['Contact the editors at the town hall, second floor, during office hours.'], {})
    # 3. an embedded tweet quoted in the article
    keep = [sentence(i) for i in range(300, 306)]
    tweet = 'The river is higher than I have ever seen it, stay safe everyone.'
    body = (NAV + '<article><h1>Flood watch</h1>' + f'<p>{" ".join(keep[:3])}</p>' +
            f'<blockquote class="twitter-tweet"><p lang="en" dir="ltr">{tweet}</p>'
            '&mdash; A Resident (@resident) <a href="https://twitter.com/resident/status/1">'
            'March 3, 2024</a></blockquote>' + f'<p>{" ".join(keep[3:])}</p></article>')
    out['tweet'] = (page('Flood watch', body), keep + [tweet], [], {})
    # 4. the next posts nested inside the same <article>
    keep = [sentence(i) for i in range(400, 409)]
    drop = [sentence(i) for i in range(450, 454)]
    body = (NAV + '<article class="post"><h1>Market hours</h1>' +
            ''.join(f'<p>{" ".join(keep[i:i + 3])}</p>' for i in range(0, 9, 3)) +
            '<div class="author-bio"><p>Our reporter has covered the markets for a long time, '
            'and writes about farming.</p></div>'
            '<div class="next-post"><h2>Next: Road repairs</h2>' +
            f'<p>{drop[0]} {drop[1]}</p></div>'
            '<article class="post"><h2>Older: School reopens</h2>' +
            f'<p>{drop[2]} {drop[3]}</p></article></article>')
    out['next-post'] = (page('Market hours', body), keep, drop, {})
    # 5. a caption kept once, responsive image sets
    keep = [sentence(i) for i in range(500, 506)]
    cap = 'Farmers at the northern market before dawn, a photograph by the council.'
    fig = ('<figure><picture><source srcset="a.webp 1x, a2.webp 2x" type="image/webp">'
           f'<img src="a.jpg" alt="{cap}"></picture><noscript><img src="a.jpg" alt="{cap}">'
           f'</noscript><figcaption>{cap}</figcaption></figure>')
    body = (NAV + '<article><h1>Early market</h1>' + f'<p>{" ".join(keep[:3])}</p>' + fig +
            f'<p>{" ".join(keep[3:])}</p></article>')
    out['caption-once'] = (page('Early market', body), keep + [cap], [], {'caption-count': cap})
    # 6. gb2312 declared, bytes valid UTF-8
    zh = '今年北方地区的降雨量再次上升，农民比往年更早播种。'
    keep_zh = [zh * 3, '市场开放时间更长，因为道路在收获前已修好。' * 3]
    html = ('<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" '
            'content="text/html; charset=gb2312"><title>北方降雨</title></head><body>' +
            NAV + '<article><h1>北方降雨</h1>' + ''.join(f'<p>{t}</p>' for t in keep_zh) +
            '</article></body></html>\n')
    out['gb2312-utf8'] = (html, keep_zh, [], {})
    # 7. metadata as pages mark it: JSON-LD, rel=author, dates
    keep = [sentence(i) for i in range(700, 706)]
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "Example Council News"},
        {"@type": "NewsArticle", "headline": "Bridge opens after repairs",
         "author": [{"@type": "Person", "name": "Ana Reyes"}, {"@type": "Person", "name": "Tom Li"}],
         "datePublished": "2024-03-05T09:30:00+0100", "inLanguage": "en-GB",
         "publisher": {"@type": "Organization", "name": "Example Council"}}]}
    head = ('<script type="application/ld+json">' + json.dumps(ld) + '</script>'
            '<meta property="og:title" content="Bridge opens after repairs | Example Council News">')
    body = (NAV + '<article><h1>Bridge opens after repairs</h1><p class="byline">By '
            '<a rel="author" href="/ana">Ana Reyes</a> and Tom Li, March 5, 2024</p>' +
            ''.join(f'<p>{" ".join(keep[i:i + 3])}</p>' for i in range(0, 6, 3)) + '</article>')
    out['jsonld'] = (page('Bridge opens after repairs | Example Council News', body, head), keep, [],
                     {'title': 'Bridge opens after repairs', 'author': 'Ana Reyes|Tom Li',
                      'date': '2024-03-05T09:30:00+01:00', 'publisher': 'Example Council'})
    # 8. no block clearly wins: three equal blocks, nothing in common but <body>
    keep = [sentence(i) for i in range(800, 809)]
    body = ''.join(f'<div class="box{i}"><p>{" ".join(keep[i * 3:i * 3 + 3])}</p></div>' for i in range(3))
    out['unsure'] = (page('Three boxes', body), keep[:3], [], {'warn': 'no block clearly holds the article'})
    # 9. a phrase link whose class is a furniture word stays in its sentence
    keep = [sentence(i) for i in range(900, 906)]
    glossed = ('"<a href="javascript:void(0);" class="popup" onclick="return gloss(1)">With '
               'kings and counsellors</a>," murmured I.')
    body = (NAV + '<article><h1>The scrivener</h1>' + f'<p>{" ".join(keep[:3])}</p>' +
            f'<p>{glossed}</p><p>He <a class="share-link" href="/x">silently retired into his '
            f'hermitage</a>.</p><p>{" ".join(keep[3:])}</p></article>')
    out['phrase-link'] = (page('The scrivener', body), keep + [
        '"With kings and counsellors," murmured I.', 'He silently retired into his hermitage.'], [], {})
    # 10. a page of one short block and no title: the block is the body, not the title
    html = '<!DOCTYPE html>\n<html><head></head><body>\n  Test\n</body></html>\n'
    out['only-block'] = (html, ['Test'], [], {'title': ''})
    # 11. a summary box drawn with "border-top" between the headline and the text
    keep = [sentence(i) for i in range(1100, 1109)]
    body = (NAV + '<div class="review"><header><h1>The new console</h1></header>'
            '<div class="mt-35 pb-35 border-top border-bottom"><h4>Summary</h4>'
            f'<p>{keep[0]}</p></div>'
            '<div class="wrap"><div class="article-text">' +
            ''.join(f'<p>{" ".join(keep[i:i + 2])}</p>' for i in range(1, 9, 2)) +
            '</div></div></div><aside><ul>' + SIDEBAR_LINKS + '</ul></aside>')
    out['css-side-words'] = (page('The new console', body), keep, ['Sidebar story number 3'], {})
    # 12. an outline in the article: a point with a sub-list of links stays;
    # a plain list of links (more stories) goes
    keep = [sentence(i) for i in range(1200, 1209)]
    bugs = [f'Bug {1677080 + i} fixes the picture window number {i} when the video source changes'
            for i in range(4)]
    more = [f'More news: story number {i} about the weather' for i in range(4)]
    body = (NAV + '<article><h1>These weeks in the browser</h1>' +
            f'<p>{" ".join(keep[:3])}</p><ul><li>{keep[3]}</li><li>In progress:<ul>' +
            ''.join(f'<li><a href="/b{i}">{b}</a></li>' for i, b in enumerate(bugs)) +
            f'</ul></li></ul><p>{" ".join(keep[4:])}</p><ul>' +
            ''.join(f'<li><a href="/m{i}">{m}</a></li>' for i, m in enumerate(more)) +
            '</ul></article>')
    out['outline-links'] = (page('These weeks in the browser', body), keep + bugs, more, {})
    # 13. the page marks the article's body (itemprop=articleBody) inside an
    # <article> that also holds the section's other stories
    keep = [sentence(i) for i in range(1300, 1309)]
    other = [sentence(i) for i in range(1350, 1362)]
    body = (NAV + '<article><h1>Harbour wall rebuilt</h1><div itemprop="articleBody">' +
            ''.join(f'<p>{" ".join(keep[i:i + 3])}</p>' for i in range(0, 9, 3)) +
            '</div><div class="package"><h2>In the region</h2>' +
            ''.join(f'<div class="card"><p>{" ".join(other[i:i + 3])}</p></div>' for i in range(0, 12, 3)) +
            '</div></article>')
    out['article-body'] = (page('Harbour wall rebuilt', body), keep, other, {})
    # 14. screen-reader-only labels (framework-prefixed class names) are not text
    keep = [sentence(i) for i in range(1400, 1406)]
    body = (NAV + '<article><h1>Talks resume</h1>' + f'<p>{" ".join(keep[:3])}</p>' +
            '<figure><img src="p.jpg" alt=""><figcaption><span class="off-screen">Media caption'
            '</span> Delegates arrive</figcaption></figure>' +
            f'<p><span class="u-visually-hidden">Image copyright</span>{" ".join(keep[3:])}</p>'
            '</article>')
    out['screen-reader'] = (page('Talks resume', body), keep + ['Delegates arrive'],
                            ['Media caption', 'Image copyright'], {})
    return out


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    for name, (html, keep, drop, meta) in pages().items():
        with open(os.path.join(d, name + '.html'), 'w', encoding='utf-8') as f:
            f.write(html)
        with open(os.path.join(d, name + '.keep'), 'w', encoding='utf-8') as f:
            f.write(''.join(k + '\n' for k in keep))
        with open(os.path.join(d, name + '.drop'), 'w', encoding='utf-8') as f:
            f.write(''.join(k + '\n' for k in drop))
        with open(os.path.join(d, name + '.meta'), 'w', encoding='utf-8') as f:
            f.write(''.join(f'{k}={v}\n' for k, v in meta.items()))
        print(name)


if __name__ == '__main__':
    main()
