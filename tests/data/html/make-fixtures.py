#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make-fixtures.py - writes the html reader's test pages and what the IR
must hold for each (NAME.expect), from the seed texts.

Run from anywhere: python3 tests/data/html/make-fixtures.py.  The output is
committed; this script only documents how it was made.  The pages are shaped
like government news sites (menus, banners, breadcrumbs, scripts, share
buttons, related links, comment boxes, footers) around one article whose
paragraphs are the seeds' lines.

NAME.expect, one check a line (see check-ir.py):
  meta KEY = VALUE         <meta><KEY> (title, author, date, language...)
  field NAME = VALUE       <meta><field name=NAME>
  block KIND[@LANG] = TEXT the next text block of KIND (p, heading, pre,
                           caption, term, any) is TEXT, in document order;
                           KIND~ (a block with images, whose text differs in
                           the writers' output): the IR only
  absent = TEXT            TEXT is nowhere in the body
  contains = TEXT          TEXT is somewhere in the body
  count PATH = N           ElementTree PATH (prefix ir:) matches N elements
  attr PATH NAME = VALUE   the first match of PATH has NAME=VALUE
"""
import html
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "..", "..", "..", "seeds")


def seed(name):
    with open(os.path.join(SEEDS, name), encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f]


def esc(s):
    return html.escape(s, quote=False)


def write(name, text, encoding="utf-8"):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(text.encode(encoding))


def expect(name, lines):
    with open(os.path.join(HERE, name + ".expect"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


EN = seed("sonla-emulation.en.txt")      # 2-4, 6-11 paragraphs, 12 author
ID = seed("ethnic-affairs-cluster.id.txt")  # 1-11 paragraphs, 18 comments
HI = seed("sonla-emulation.hi.txt")      # 2-4, 6-11 paragraphs
IDS = seed("sonla-emulation.id.txt")
ER = seed("emulation-reward-work.en.txt")  # 1-4 paragraphs, 5 author

# ------------------------------------------------------------------ en-news
# <article> inside <main>; page header, menu, breadcrumbs, share bar,
# related news, comment form, sidebar, footer, scripts, noscript, comments.
p = EN
en = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Son La responds to the emulation movements launched by the Prime Minister - Son La Province Portal</title>
<meta name="description" content="Son La province has deployed a series of widespread thematic emulation movements.">
<meta name="keywords" content="emulation, Son La, new rural areas">
<meta name="author" content="Le Hong">
<meta property="og:title" content="Son La responds to the Prime Minister's emulation movements">
<meta property="og:site_name" content="Son La Province Portal">
<meta property="og:type" content="article">
<meta property="og:url" content="https://sonla.gov.vn/tin-van-hoa-xa-hoi/og-url-970341">
<meta property="og:image" content="/upload/2025/06/emulation.jpg">
<meta property="article:published_time" content="2025-06-14T08:30:00+07:00">
<meta property="article:section" content="Culture - Society">
<link rel="canonical" href="https://sonla.gov.vn/tin-van-hoa-xa-hoi/tinh-son-la-huong-ung-cac-phong-trao-thi-dua-do-thu-tuong-chinh-phu-phat-dong-970341">
<link rel="stylesheet" href="/css/portal.css">
<style>
  body {{ font-family: Arial, sans-serif; }}
  .main-menu li {{ display: inline-block; }}
</style>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){{dataLayer.push(arguments);}}
  gtag('config', 'UA-000000-1'); if (a < b && b > c) {{ document.write("<p>neverShown</p>"); }}
</script>
</head>
<body class="page-news">
<!-- ============ top bar ============ -->
<div id="topbar" class="topbar">
  <a href="/dang-nhap">Log in</a> | <a href="/en">English</a> | <a href="/vi">Tiếng Việt</a>
  <span class="hotline">Hotline: 0212.3852.120</span>
</div>
<header class="site-header" role="banner">
  <div class="logo"><a href="/"><img src="/images/logo.png" alt="Son La Province Portal logo"></a></div>
  <div class="site-title">SON LA PROVINCE ELECTRONIC INFORMATION PORTAL</div>
  <form class="search-form" action="/tim-kiem"><input type="text" name="q" placeholder="Search the portal"><button type="submit">Search</button></form>
</header>
<nav class="main-menu" aria-label="Main menu">
  <ul>
    <li><a href="/">Home</a></li>
    <li><a href="/gioi-thieu">About Son La</a></li>
    <li><a href="/tin-tuc">News and Events</a>
      <ul class="sub-menu"><li><a href="/tin-tuc/chinh-tri">Politics</a></li><li><a href="/tin-tuc/kinh-te">Economy</a></li></ul></li>
    <li><a href="/van-ban">Legal Documents</a></li>
    <li><a href="/dich-vu-cong">Public Services</a></li>
    <li><a href="/lien-he">Contact Us</a></li>
  </ul>
</nav>
<div class="breadcrumb"><a href="/">Home</a> &raquo; <a href="/tin-tuc">News and Events</a> &raquo; <a href="/tin-van-hoa-xa-hoi">Culture - Society</a></div>
<div class="container">
  <main id="main-content">
    <article class="news-detail">
      <header class="article-header">
        <h1 class="article-title">Son La responds to the emulation movements launched by the Prime Minister</h1>
        <p class="byline">By <span class="author">Le Hong</span> &middot; <time datetime="2025-06-14T08:30:00+07:00">Saturday, 14/06/2025 08:30</time></p>
      </header>
      <div class="share-tools">
        <a href="https://www.facebook.com/sharer/sharer.php?u=x" class="fb">Share on Facebook</a>
        <a href="https://twitter.com/intent/tweet?url=x">Share on X</a>
        <a href="javascript:window.print()">Print this article</a>
        <button class="font-size">A+</button>
      </div>
      <div class="article-body">
        <p><strong>{esc(p[1][:95])}</strong>{esc(p[1][95:])}</p>
        <!-- inline ad removed by the CMS -->
        <p>{esc(p[2])}</p>
        <div class="ads ad-inline"><a href="https://ads.example.com/click">Advertisement: visit the Son La tea festival</a></div>
        <h2>Infrastructure and new rural areas</h2>
        <p>{esc(p[3])}</p>
        <p>{esc(p[5])}</p>
        <blockquote><p>{esc(p[6])}</p></blockquote>
        <p>{esc(p[7])}</p>
        <figure class="image"><img src="https://sonla.gov.vn/upload/2025/06/houses.jpg" alt="New houses in Muong La district"><figcaption>New houses for poor households in Muong La district.</figcaption></figure>
        <h2>A learning society and office culture</h2>
        <p>{esc(p[8])}</p>
        <p>{esc(p[9])}</p>
        <p>{esc(p[10])}</p>
        <p class="author-signature" style="text-align:right"><strong>{esc(p[11])}</strong></p>
      </div>
      <div class="tags">Tags: <a href="/tag/emulation">emulation</a>, <a href="/tag/son-la">Son La</a>, <a href="/tag/rural">new rural areas</a></div>
      <div class="related-news">
        <h3>Related news</h3>
        <ul>
          <li><a href="/tin/1">Son La launches the 2025 emulation campaign</a></li>
          <li><a href="/tin/2">Provincial leaders visit Moc Chau farmers</a></li>
          <li><a href="/tin/3">Digital transformation week opens in Son La city</a></li>
          <li><a href="/tin/4">Son La honours 120 outstanding collectives</a></li>
        </ul>
      </div>
      <section id="comments" class="comment-box">
        <h3>Comment (0)</h3>
        <form action="/binh-luan" method="post">
          <textarea name="body" placeholder="Your comment"></textarea>
          <input type="text" name="name" placeholder="Full name">
          <button type="submit">Send comment</button>
        </form>
      </section>
    </article>
  </main>
  <aside class="sidebar">
    <div class="widget most-read">
      <h3>Most read</h3>
      <ol>
        <li><a href="/tin/5">Weather warning: heavy rain in northern mountains</a></li>
        <li><a href="/tin/6">Son La exports 3,000 tonnes of mangoes</a></li>
        <li><a href="/tin/7">Moc Chau plateau welcomes visitors in plum season</a></li>
      </ol>
    </div>
    <div class="widget weather">Son La today: 24°C, light rain in the afternoon and evening, humidity 85 percent.</div>
    <article class="teaser"><h4><a href="/tin/8">Teaser in the sidebar</a></h4><p>A short teaser that sits in the sidebar and is not the article.</p></article>
  </aside>
</div>
<footer class="site-footer" role="contentinfo">
  <p>SON LA PROVINCE ELECTRONIC INFORMATION PORTAL</p>
  <p>Managing agency: Office of the Son La Provincial People's Committee. Address: No. 1 Chieng Le ward, Son La city.</p>
  <p>Phone: 0212.3852.120 - Email: banbientap@sonla.gov.vn</p>
  <p>&copy; 2025 Son La Provincial People's Committee. All rights reserved.</p>
</footer>
<div id="cookie-consent" class="cookie-banner">This portal uses cookies to improve your experience. <a href="#">Accept</a></div>
<script src="/js/jquery.min.js"></script>
<script>$(function(){{ $('.share-tools').show(); }});</script>
<noscript>Please enable JavaScript to use all features of the portal.</noscript>
</body>
</html>
"""
write("en-news.html", en)
expect("en-news", [
    "meta title = Son La responds to the emulation movements launched by the Prime Minister",
    "meta author = Le Hong",
    "meta date = 2025-06-14T08:30:00+07:00",
    "meta language = en",
    "meta source = https://sonla.gov.vn/tin-van-hoa-xa-hoi/tinh-son-la-huong-ung-cac-phong-trao-thi-dua-do-thu-tuong-chinh-phu-phat-dong-970341",
    "meta publisher = Son La Province Portal",
    "field description = Son La province has deployed a series of widespread thematic emulation movements.",
    "field keywords = emulation, Son La, new rural areas",
    "field og:type = article",
    "field section = Culture - Society",
    "block heading = Son La responds to the emulation movements launched by the Prime Minister",
    "block p = By Le Hong · Saturday, 14/06/2025 08:30",
    "block p = " + p[1],
    "block p = " + p[2],
    "block heading = Infrastructure and new rural areas",
    "block p = " + p[3],
    "block p = " + p[5],
    "block p = " + p[6],
    "block p = " + p[7],
    "block caption = New houses for poor households in Muong La district.",
    "block heading = A learning society and office culture",
    "block p = " + p[8],
    "block p = " + p[9],
    "block p = " + p[10],
    "block p = Le Hong",
    "count ./ir:body/ir:section = 1",
    "attr ./ir:body/ir:section level = 1",
    "count ./ir:body/ir:section/ir:section = 2",
    "attr ./ir:body/ir:section/ir:section level = 2",
    "count .//ir:quote/ir:p = 1",
    "count .//ir:p/ir:strong = 2",
    "attr .//ir:figure/ir:image src = https://sonla.gov.vn/upload/2025/06/houses.jpg",
    "attr .//ir:figure/ir:image alt = New houses in Muong La district",
    "absent = Log in",
    "absent = Hotline",
    "absent = SON LA PROVINCE ELECTRONIC INFORMATION PORTAL",
    "absent = Search",
    "absent = About Son La",
    "absent = News and Events",
    "absent = Legal Documents",
    "absent = Public Services",
    "absent = Share on Facebook",
    "absent = Print this article",
    "absent = Advertisement",
    "absent = Tags:",
    "absent = Related news",
    "absent = Son La launches the 2025 emulation campaign",
    "absent = Comment (0)",
    "absent = Send comment",
    "absent = Most read",
    "absent = Weather warning",
    "absent = 24°C",
    "absent = Teaser in the sidebar",
    "absent = Managing agency",
    "absent = All rights reserved",
    "absent = cookies",
    "absent = Please enable JavaScript",
    "absent = dataLayer",
    "absent = neverShown",
])

# ------------------------------------------------------------------ id-news
# No <article> or <main>: Bootstrap-style div soup inside an ASP.NET
# <form> around the whole page; the heading, the date line and the lead sit
# above the content box; a sidebar of links without telling class names;
# the density of paragraph text must find it.
p = ID
lead = p[0]
body = "\n".join(
    f'<p style="text-align: justify;"><span style="font-size: 14px;">{esc(t)}</span></p>'
    for t in p[1:6])
body2 = "\n".join(f'<p style="text-align: justify;">{esc(t)}&nbsp;</p>' for t in p[6:11])
idn = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html lang="id">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>Klaster Emulasi No. 2 merangkum pekerjaan emulasi tahun 2024 | Komite Urusan Etnis Minoritas</title>
<meta name="description" content="Konferensi Klaster Emulasi No. 2 Komite Urusan Etnis Minoritas." />
<meta name="dc.date" content="2024-12-12" />
<meta property="og:site_name" content="Komite Urusan Etnis Minoritas" />
<script type="text/javascript" src="/Scripts/jquery.js"></script>
<script type="text/javascript">var _gaq = _gaq || []; _gaq.push(['_setAccount', 'UA-1']);</script>
</head>
<body>
<form method="post" action="./ChiTiet.aspx?id=1234" id="aspnetForm">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1Mg9kFgJmD2QWAgIDD2QWAgIBD2Q=" />
<div id="wrapper">
 <div class="row top">
   <div class="col-md-12"><img src="/Images/banner.jpg" alt="Portal Komite Urusan Etnis Minoritas" /></div>
 </div>
 <div class="row">
  <div class="col-md-12">
   <ul id="menu">
     <li><a href="/">Beranda</a></li><li><a href="/gioi-thieu">Tentang Komite</a></li>
     <li><a href="/tin-tuc">Berita</a></li><li><a href="/chinh-sach">Kebijakan Etnis</a></li>
     <li><a href="/van-ban">Dokumen Hukum</a></li><li><a href="/lien-he">Kontak</a></li>
   </ul>
  </div>
 </div>
 <div class="row">
  <div class="col-md-8">
   <div class="path"><a href="/">Beranda</a> / <a href="/tin-tuc">Berita</a> / <a href="/tin-tuc/thi-dua">Kabar Emulasi</a></div>
   <div class="title-detail"><h1>Klaster Emulasi No. 2 merangkum pekerjaan emulasi dan penghargaan tahun 2024</h1></div>
   <div class="date-detail">Kamis, 12/12/2024 09:15</div>
   <div class="sapo"><strong>{esc(lead)}</strong></div>
   <div id="ctl00_content_detail" class="content-detail">
{body}
<table class="image" align="center"><tbody><tr><td><img src="https://ubdt.gov.vn/Uploads/2024/12/hoi-nghi.jpg" alt="Suasana konferensi" width="600" /></td></tr><tr><td class="image_desc">Suasana konferensi Klaster Emulasi No. 2.</td></tr></tbody></table>
{body2}
<p style="text-align: right;"><strong>Minh Thu</strong></p>
   </div>
   <div class="box-share"><a href="https://facebook.com/sharer.php">Bagikan</a> <a href="#" onclick="window.print()">Cetak</a></div>
   <div class="other-news">
     <div class="title-other">Berita lainnya</div>
     <ul>
       <li><a href="/tin/101">Komite Urusan Etnis Minoritas menyambut delegasi Laos</a> (10/12/2024)</li>
       <li><a href="/tin/102">Pelatihan transformasi digital untuk kader etnis</a> (09/12/2024)</li>
       <li><a href="/tin/103">Program target nasional: hasil tahun 2024</a> (08/12/2024)</li>
     </ul>
   </div>
   <div class="comment">
     <div class="title-comment">{esc(p[17])}</div>
     <textarea id="txtComment"></textarea><input type="button" value="Kirim" />
   </div>
  </div>
  <div class="col-md-4">
    <div class="box">
      <div class="box-title">Tautan</div>
      <ul>
        <li><a href="http://chinhphu.vn">Portal Pemerintah</a></li>
        <li><a href="http://dangcongsan.vn">Surat kabar Partai</a></li>
        <li><a href="http://quochoi.vn">Majelis Nasional</a></li>
        <li><a href="http://mof.gov.vn">Kementerian Keuangan</a></li>
      </ul>
    </div>
    <div class="box">
      <div class="box-title">Statistik kunjungan</div>
      <div>Online: 125 &mdash; Total: 9.876.543</div>
    </div>
  </div>
 </div>
 <div class="row bottom">
   <div class="col-md-12">
     <p>KOMITE URUSAN ETNIS MINORITAS - Alamat: 349 Doi Can, Ba Dinh, Hanoi</p>
     <p>Izin No. 145/GP-TTDT. Dilarang mengutip tanpa menyebut sumber.</p>
   </div>
 </div>
</div>
</form>
</body>
</html>
"""
write("id-news.html", idn)
expect("id-news", [
    "meta title = Klaster Emulasi No. 2 merangkum pekerjaan emulasi dan penghargaan tahun 2024",
    "meta date = 2024-12-12",
    "meta language = id",
    "meta publisher = Komite Urusan Etnis Minoritas",
    "block heading = Klaster Emulasi No. 2 merangkum pekerjaan emulasi dan penghargaan tahun 2024",
    "block p = Kamis, 12/12/2024 09:15",
    "block p = " + lead,
] + ["block p = " + t for t in p[1:6]] + [
    "block caption = Suasana konferensi Klaster Emulasi No. 2.",
] + ["block p = " + t + "\u00a0" for t in p[6:11]] + [
    "block p = Minh Thu",
    "count ./ir:body/ir:section = 1",
    "count .//ir:table = 0",
    "attr .//ir:figure/ir:image src = https://ubdt.gov.vn/Uploads/2024/12/hoi-nghi.jpg",
    "attr .//ir:figure/ir:image alt = Suasana konferensi",
    "absent = Beranda",
    "absent = Tentang Komite",
    "absent = Dokumen Hukum",
    "absent = Kabar Emulasi",
    "absent = Bagikan",
    "absent = Cetak",
    "absent = Berita lainnya",
    "absent = menyambut delegasi Laos",
    "absent = Komentar",
    "absent = Tautan",
    "absent = Portal Pemerintah",
    "absent = Statistik kunjungan",
    "absent = 349 Doi Can",
    "absent = Dilarang mengutip",
    "absent = _gaq",
])

# ------------------------------------------------------------------ hi-news
# [role=main]; the title is an <h2> (the page's <h1> is the site name in the
# header); a quotation and a sentence in English, a place name in
# Vietnamese: lang kept per block and per span.
p = HI
hin = f"""<!DOCTYPE html>
<html lang="hi">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>सोन ला प्रधानमंत्री द्वारा शुरू किए गए अनुकरण आंदोलनों का जवाब देता है | सोन ला पोर्टल</title>
<meta property="og:site_name" content="सोन ला पोर्टल">
<meta name="author" content="{esc(p[11])}">
<meta name="twitter:card" content="summary">
<script async src="https://www.googletagmanager.com/gtag/js?id=G-XXXX"></script>
</head>
<body>
<div id="header"><h1 class="logo"><a href="/">सोन ला प्रांत इलेक्ट्रॉनिक सूचना पोर्टल</a></h1></div>
<div id="nav" role="navigation"><a href="/">मुख पृष्ठ</a> <a href="/news">समाचार</a> <a href="/docs">दस्तावेज़</a> <a href="/contact">संपर्क</a></div>
<div id="page">
 <div id="content" role="main">
  <div class="post">
   <h2 class="post-title">सोन ला प्रधानमंत्री द्वारा शुरू किए गए अनुकरण आंदोलनों का जवाब देता है</h2>
   <div class="post-meta">प्रकाशित: <span class="date" itemprop="datePublished" content="2025-06-14">14 जून 2025</span></div>
   <div class="post-body">
    <p>{esc(p[1])}</p>
    <p>{esc(p[2])}</p>
    <p>{esc(p[3])}</p>
    <p>{esc(p[5])}</p>
    <blockquote lang="en"><p>The emulation movements have created an exciting emulation atmosphere in the entire political system.</p></blockquote>
    <p>{esc(p[6])}</p>
    <p>{esc(p[7])}</p>
    <p>प्रांत का नाम वियतनामी में <span lang="vi">Sơn La</span> लिखा जाता है।</p>
    <p>{esc(p[8])}</p>
    <p>{esc(p[9])}</p>
    <p>{esc(p[10])}</p>
    <p class="signature">{esc(p[11])}</p>
   </div>
   <div class="post-share"><a href="https://facebook.com/share">फेसबुक पर साझा करें</a></div>
  </div>
  <div id="respond" class="comments-area"><h3>{esc(p[19])}</h3><form><textarea></textarea><input type="submit" value="टिप्पणी भेजें"></form></div>
 </div>
 <div id="sidebar" role="complementary"><h3>लोकप्रिय समाचार</h3><ul><li><a href="/n/1">मोक चाउ में बेर का मौसम</a></li><li><a href="/n/2">सोन ला में डिजिटल परिवर्तन सप्ताह</a></li></ul></div>
</div>
<div id="footer"><p>© 2025 सोन ला प्रांतीय जन समिति। सर्वाधिकार सुरक्षित।</p></div>
</body>
</html>
"""
write("hi-news.html", hin)
expect("hi-news", [
    "meta title = सोन ला प्रधानमंत्री द्वारा शुरू किए गए अनुकरण आंदोलनों का जवाब देता है",
    "meta author = " + p[11],
    "meta date = 2025-06-14",
    "meta language = hi",
    "meta publisher = सोन ला पोर्टल",
    "block heading@hi = सोन ला प्रधानमंत्री द्वारा शुरू किए गए अनुकरण आंदोलनों का जवाब देता है",
    "block p = प्रकाशित: 14 जून 2025",
] + ["block p@hi = " + t for t in (p[1], p[2], p[3], p[5])] + [
    "block p@en = The emulation movements have created an exciting emulation atmosphere in the entire political system.",
] + ["block p@hi = " + t for t in (p[6], p[7])] + [
    "block p@hi = प्रांत का नाम वियतनामी में Sơn La लिखा जाता है।",
] + ["block p@hi = " + t for t in (p[8], p[9], p[10], p[11])] + [
    "attr .//ir:quote {http://www.w3.org/XML/1998/namespace}lang = en",
    "attr .//ir:span {http://www.w3.org/XML/1998/namespace}lang = vi",
    "count .//ir:p[@{http://www.w3.org/XML/1998/namespace}lang] = 0",
    "count ./ir:body/ir:section = 1",
    "absent = सोन ला प्रांत इलेक्ट्रॉनिक सूचना पोर्टल",
    "absent = मुख पृष्ठ",
    "absent = फेसबुक पर साझा करें",
    "absent = टिप्पणी",
    "absent = लोकप्रिय समाचार",
    "absent = मोक चाउ में बेर का मौसम",
    "absent = सर्वाधिकार सुरक्षित",
])

# ------------------------------------------------------------------ fragment
# No <html>, <head> or <body>: all of it is the article.
p = ER
frag = f"""<h2>Continuing to innovate emulation and reward work</h2>
<p>{esc(p[0])}</p>
<p>{esc(p[1])}</p>
<h3>Tasks for the coming period</h3>
<ul>
  <li>{esc(p[2])}</li>
  <li>{esc(p[3])}</li>
</ul>
<p><em>{esc(p[4])}</em></p>
"""
write("fragment.html", frag)
expect("fragment", [
    "meta title = Continuing to innovate emulation and reward work",
    "block heading = Continuing to innovate emulation and reward work",
    "block p = " + p[0],
    "block p = " + p[1],
    "block heading = Tasks for the coming period",
    "block p = " + p[2],
    "block p = " + p[3],
    "block p = " + p[4],
    "count ./ir:body/ir:section = 1",
    "count ./ir:body/ir:section/ir:section = 1",
    "count .//ir:list/ir:item = 2",
    "count .//ir:p/ir:em = 1",
])

# ------------------------------------------------------------------ tagsoup
# Upper case, unquoted attributes, unclosed <P> and <LI>, misnested
# <B><I></B></I>, a bare &, <FONT> around the paragraphs, a layout table
# with the menu in one cell, text with <BR><BR> instead of paragraphs.
p = IDS
s3 = p[3]
cut = s3.index(" Banyak")  # bold/italic misnested over the sentence boundary
soup = f"""<HTML>
<HEAD>
<TITLE>Provinsi Son La menanggapi gerakan emulasi</TITLE>
<META HTTP-EQUIV=Content-Type CONTENT="text/html; charset=utf-8">
<SCRIPT LANGUAGE=JavaScript>function menu(){{ return 1 < 2 }}</SCRIPT>
</HEAD>
<BODY BGCOLOR=#FFFFFF>
<TABLE WIDTH=100% BORDER=0>
<TR><TD COLSPAN=2><IMG SRC=/img/banner.gif ALT="Portal Provinsi Son La"></TD></TR>
<TR>
<TD WIDTH=180 VALIGN=top CLASS=menu>
<A HREF=/>Beranda</A><BR>
<A HREF=/berita>Berita Daerah</A><BR>
<A HREF=/pengumuman>Pengumuman</A><BR>
<A HREF=/galeri>Galeri Foto</A><BR>
</TD>
<TD VALIGN=top>
<FONT FACE=Arial SIZE=2>
<H3>Provinsi Son La menanggapi gerakan emulasi yang dicanangkan oleh Perdana Menteri</H3>
<P>{esc(p[1])}
<P>{esc(p[2])}
<P>{esc(s3[:cut])}<B> Banyak <I>{esc(s3[cut + 8:cut + 40])}</B>{esc(s3[cut + 40:])}</I>
<P>Dinas Informasi & Komunikasi Son La, 14/6/2025
<UL>
<LI>{esc(p[5])}
<LI>{esc(p[6])}
</UL>
{esc(p[7])}<BR><BR>
{esc(p[8])}<BR><BR>
{esc(p[9])}
<P>{esc(p[10])}
<P ALIGN=right><B>{esc(p[11])}</B>
</FONT>
</TD>
</TR>
<TR><TD COLSPAN=2 ALIGN=center><FONT SIZE=1>Hak cipta &copy; 2025 Pemerintah Provinsi Son La</FONT></TD></TR>
</TABLE>
</BODY>
</HTML>
"""
write("tagsoup.html", soup)
expect("tagsoup", [
    "meta title = Provinsi Son La menanggapi gerakan emulasi yang dicanangkan oleh Perdana Menteri",
    "block heading = Provinsi Son La menanggapi gerakan emulasi yang dicanangkan oleh Perdana Menteri",
    "block p = " + p[1],
    "block p = " + p[2],
    "block p = " + p[3],
    "block p = Dinas Informasi & Komunikasi Son La, 14/6/2025",
    "block p = " + p[5],
    "block p = " + p[6],
    "block p = " + p[7],
    "block p = " + p[8],
    "block p = " + p[9],
    "block p = " + p[10],
    "block p = " + p[11],
    "count .//ir:list/ir:item = 2",
    "count .//ir:table = 0",
    "count .//ir:br = 0",
    "absent = Beranda",
    "absent = Berita Daerah",
    "absent = Galeri Foto",
    "absent = Hak cipta",
    "absent = return 1",
])

# ------------------------------------------------------------------ cp1252
# Windows-1252 bytes: declared, and mislabelled as UTF-8 (the fallback).
p = ER
def cp1252_page(charset_decl):
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
{charset_decl}
<title>Emulation and reward work – Son La</title>
</head>
<body>
<nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<div class="content">
<h1>Emulation and reward work – “a driving force”</h1>
<p>{esc(p[0])}</p>
<p>{esc(p[1])}</p>
<p>The province’s budget for rewards rose to €1.2 million; the café owners’ association in Moc Chau was honoured — twice.</p>
<p>{esc(p[2])}</p>
<p>{esc(p[3])}</p>
</div>
<footer>Son La Department of Home Affairs © 2025</footer>
</body>
</html>
"""
write("cp1252.html", cp1252_page('<meta charset="windows-1252">'), "cp1252")
write("cp1252-mislabeled.html", cp1252_page('<meta charset="utf-8">'), "cp1252")
cp_expect = [
    "meta title = Emulation and reward work – “a driving force”",
    "meta language = en",
    "block heading = Emulation and reward work – “a driving force”",
    "block p = " + p[0],
    "block p = " + p[1],
    "block p = The province’s budget for rewards rose to €1.2 million; the café owners’ association in Moc Chau was honoured — twice.",
    "block p = " + p[2],
    "block p = " + p[3],
    "absent = Home",
    "absent = Department of Home Affairs",
]
expect("cp1252", cp_expect)
expect("cp1252-mislabeled", cp_expect)

# ------------------------------------------------------------------ xhtml
# XHTML 1.1 in ISO-8859-1, declared only by the XML declaration; empty
# elements written <br/>; CDATA in a script.
p = ER
xh = f"""<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en">
<head>
<title>Conférence régionale à Son La</title>
<script type="text/javascript">
//<![CDATA[
var x = 1 < 2 && 3 > 2;
//]]>
</script>
</head>
<body>
<div id="menu"><a href="/">Accueil</a> <a href="/actualites">Actualités</a></div>
<div id="article">
<h1>Conférence régionale à Son La</h1>
<p>« Émulation et récompenses » : la conférence s'est tenue à Son La, où l'été dure.<br/>Deuxième ligne après un saut.</p>
<p>{esc(p[0])}</p>
<p>{esc(p[1])}</p>
<p>{esc(p[2])}</p>
<hr/>
<p>{esc(p[3])}</p>
</div>
<div id="footer">Pied de page © 2025</div>
</body>
</html>
"""
write("xhtml.xhtml", xh, "latin-1")
expect("xhtml", [
    "meta title = Conférence régionale à Son La",
    "meta language = en",
    "block heading = Conférence régionale à Son La",
    "block p = « Émulation et récompenses » : la conférence s'est tenue à Son La, où l'été dure. Deuxième ligne après un saut.",
    "block p = " + p[0],
    "block p = " + p[1],
    "block p = " + p[2],
    "block p = " + p[3],
    "count .//ir:p/ir:br = 1",
    "count .//ir:hr = 1",
    "absent = Accueil",
    "absent = Pied de page",
])

# ------------------------------------------------------------------ table-lists
# A statistics page: a table with caption, header rows, colspan, rowspan
# and a footer row; nested lists, ol start and type; a definition list;
# pre/code; a figure with a local image; footnotes (pandoc's markup); sup.
p = EN
tl = f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Housing statistics | Son La</title>
<meta name="author" content="Statistics Office">
<meta name="date" content="2025-06-20">
</head>
<body>
<header><a href="/">Son La Statistics Office</a></header>
<main>
<h1>Housing support in Son La, 2021–2025</h1>
<p>{esc(p[9][:160])}<sup><a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref">1</a></sup>{esc(p[9][160:])}</p>
<table>
  <caption>Houses supported by district</caption>
  <thead>
    <tr><th rowspan="2">District</th><th colspan="2">Houses</th></tr>
    <tr><th>Built</th><th>Repaired</th></tr>
  </thead>
  <tfoot><tr><td>Total</td><td>2,653</td><td>405</td></tr></tfoot>
  <tbody>
    <tr><td>Muong La</td><td>1,020</td><td>150</td></tr>
    <tr><td>Moc Chau</td><td>833</td><td rowspan="2">255</td></tr>
    <tr><td>Other districts</td><td>800</td></tr>
  </tbody>
</table>
<h2>Movements</h2>
<ol start="3" type="a">
  <li>New rural areas
    <ul>
      <li>74 communes meet the standards</li>
      <li>Advanced standards
        <ol><li>12 communes</li><li>3 model villages</li></ol>
      </li>
    </ul>
  </li>
  <li>For the poor<sup><a href="#fn2" class="footnote-ref" id="fnref2" role="doc-noteref">2</a></sup></li>
</ol>
<dl>
  <dt>Emulation</dt><dd><p>Competing to do the work better.</p></dd>
  <dt>Reward</dt><dd>Recognition of the results.</dd>
</dl>
<pre><code class="language-text">District   Built  Repaired
Muong La   1,020       150
</code></pre>
<p>Area per house: 32 m<sup>2</sup>; water H<sub>2</sub>O supply for <code>100 %</code> of households.</p>
<figure><img src="img/red.png" alt="Chart of houses built"><figcaption>Houses built per year.</figcaption></figure>
<section class="footnotes footnotes-end-of-document" role="doc-endnotes">
<hr>
<ol>
<li id="fn1"><p>Figures of the Provincial Steering Committee, May 2025.<a href="#fnref1" class="footnote-back" role="doc-backlink">↩︎</a></p></li>
<li id="fn2"><p>The movement “For the poor - No one left behind”.<a href="#fnref2" class="footnote-back" role="doc-backlink">↩︎</a></p></li>
</ol>
</section>
</main>
<footer><p>Son La Statistics Office, 2025</p></footer>
</body>
</html>
"""
write("table-lists.html", tl)
X = "{http://www.w3.org/XML/1998/namespace}"
expect("table-lists", [
    "meta title = Housing support in Son La, 2021–2025",
    "meta author = Statistics Office",
    "meta date = 2025-06-20",
    "block heading = Housing support in Son La, 2021–2025",
    "block p = " + p[9],
    "block p = Figures of the Provincial Steering Committee, May 2025.",
    "block caption = Houses supported by district",
    "block p = District",
    "block p = Houses",
    "block p = Built",
    "block p = Repaired",
    "block p = Muong La",
    "block p = Total",
    "block heading = Movements",
    "block p = New rural areas",
    "block p = 74 communes meet the standards",
    "block p = Advanced standards",
    "block p = 12 communes",
    "block p = 3 model villages",
    "block p = For the poor",
    "block p = The movement “For the poor - No one left behind”.",
    "block term = Emulation",
    "block p = Competing to do the work better.",
    "block term = Reward",
    "block p = Recognition of the results.",
    "block pre = District   Built  Repaired\\nMuong La   1,020       150",
    "block p = Area per house: 32 m2; water H2O supply for 100 % of households.",
    "block caption = Houses built per year.",
    "count .//ir:table = 1",
    "count .//ir:table/ir:caption = 1",
    "count .//ir:table/ir:row = 6",
    "count .//ir:table/ir:row[@header='true'] = 2",
    "count .//ir:table/ir:row/ir:cell = 15",
    "attr .//ir:table/ir:row/ir:cell rowspan = 2",
    "attr .//ir:table/ir:row/ir:cell[@colspan] colspan = 2",
    "attr .//ir:table/ir:row/ir:cell[@header='true'] header = true",
    "attr .//ir:table/ir:row[4]/ir:cell[3] rowspan = 2",
    "attr .//ir:table/ir:row[6]/ir:cell[1] header = None",
    "count ./ir:body/ir:section/ir:section/ir:list = 1",
    "attr ./ir:body/ir:section/ir:section/ir:list ordered = true",
    "attr ./ir:body/ir:section/ir:section/ir:list start = 3",
    "attr ./ir:body/ir:section/ir:section/ir:list style = lower-alpha",
    "count ./ir:body/ir:section/ir:section/ir:list/ir:item = 2",
    "count ./ir:body/ir:section/ir:section/ir:list/ir:item/ir:list/ir:item = 2",
    "count ./ir:body/ir:section/ir:section/ir:list/ir:item/ir:list/ir:item/ir:list[@ordered='true']/ir:item = 2",
    "count .//ir:deflist/ir:term = 2",
    "count .//ir:deflist/ir:definition = 2",
    "count .//ir:note = 2",
    "count .//ir:note/ir:p = 2",
    "attr .//ir:pre language = text",
    "count .//ir:sup = 1",
    "count .//ir:sub = 1",
    "count .//ir:code = 1",
    "attr .//ir:figure/ir:image ref = image1.png",
    "attr .//ir:figure/ir:image alt = Chart of houses built",
    "count .//ir:hr = 0",
    "absent = ↩",
    "absent = Son La Statistics Office",
])

# ------------------------------------------------------------------ links
links_body = """<p>Read <a href="bai-viet-1.html">the first article</a>, the
<a href="../van-ban/733-QD-TTg.pdf">Decision 733/QD-TTg</a>, our
<a href="/lien-he">contact page</a>, the <a href="//cdn.sonla.gov.vn/files/plan.pdf">plan</a>,
<a href="#section-2">section 2</a>, <a href="javascript:void(0)">a script link</a>,
<a href="mailto:banbientap@sonla.gov.vn">the editors</a>, the
<a href=" tai lieu/bao cao.pdf ">annual report</a> and
<a href="https://chinhphu.vn/portal">the Government portal</a>.</p>
<p id="section-2">Images: <img src="anh/lang.jpg" alt="the village"> and
<img src="https://sonla.gov.vn/anh/doi.jpg" alt="the hills">.</p>"""
lb = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<base href="https://sonla.gov.vn/tin-tuc/">
<title>Links</title>
<link rel="canonical" href="links-page.html">
</head><body><article><h1>Links resolved against the base</h1>
{links_body}
</article></body></html>
"""
write("links-base.html", lb)
B = "https://sonla.gov.vn/"
expect("links-base", [
    "meta title = Links resolved against the base",
    "meta source = https://sonla.gov.vn/tin-tuc/links-page.html",
    "block p = Read the first article, the Decision 733/QD-TTg, our contact page, the plan, section 2, a script link, the editors, the annual report and the Government portal.",
    "block p~ = Images: and .",
    "attr .//ir:a[1] href = " + B + "tin-tuc/bai-viet-1.html",
    "attr .//ir:a[2] href = " + B + "van-ban/733-QD-TTg.pdf",
    "attr .//ir:a[3] href = " + B + "lien-he",
    "attr .//ir:a[4] href = https://cdn.sonla.gov.vn/files/plan.pdf",
    "attr .//ir:a[5] href = " + B + "tin-tuc/#section-2",
    "attr .//ir:a[6] href = mailto:banbientap@sonla.gov.vn",
    "attr .//ir:a[7] href = " + B + "tin-tuc/tai%20lieu/bao%20cao.pdf",
    "attr .//ir:a[8] href = https://chinhphu.vn/portal",
    "count .//ir:a = 8",
    "attr .//ir:image[1] src = " + B + "tin-tuc/anh/lang.jpg",
    "attr .//ir:image[2] src = https://sonla.gov.vn/anh/doi.jpg",
    "count .//ir:image = 2",
])
ln = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Links</title></head>
<body><article><h1>Links without a base</h1>
{links_body}
</article></body></html>
"""
write("links-nobase.html", ln)
expect("links-nobase", [
    "block p = Read the first article, the Decision 733/QD-TTg, our contact page, the plan, section 2, a script link, the editors, the annual report and the Government portal.",
    "block p~ = Images: the village and .",
    "attr .//ir:a[1] href = bai-viet-1.html",
    "attr .//ir:a[2] href = ../van-ban/733-QD-TTg.pdf",
    "attr .//ir:a[3] href = /lien-he",
    "attr .//ir:a[4] href = //cdn.sonla.gov.vn/files/plan.pdf",
    "attr .//ir:a[5] href = mailto:banbientap@sonla.gov.vn",
    "attr .//ir:a[6] href = tai%20lieu/bao%20cao.pdf",
    "count .//ir:a = 7",
    "count .//ir:image = 1",
    "attr .//ir:image src = https://sonla.gov.vn/anh/doi.jpg",
])
# the same page read with --base-url
expect("links-nobase.base-url", [
    "meta source = https://example.gov.vn/news/item.html",
    "attr .//ir:a[1] href = https://example.gov.vn/news/bai-viet-1.html",
    "attr .//ir:a[2] href = https://example.gov.vn/van-ban/733-QD-TTg.pdf",
    "attr .//ir:a[3] href = https://example.gov.vn/lien-he",
    "attr .//ir:a[4] href = https://cdn.sonla.gov.vn/files/plan.pdf",
    "attr .//ir:a[5] href = https://example.gov.vn/news/item.html#section-2",
    "count .//ir:a = 8",
    "attr .//ir:image[1] src = https://example.gov.vn/news/anh/lang.jpg",
    "count .//ir:image = 2",
])

# ------------------------------------------------------------------ images
def png(w, h, rgb):
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


GIF = bytes.fromhex("47494638396101000100800000ffffff00000021f90401000000002c"
                    "00000000010001000002024401003b")
os.makedirs(os.path.join(HERE, "img"), exist_ok=True)
with open(os.path.join(HERE, "img", "red.png"), "wb") as f:
    f.write(png(4, 3, (200, 20, 20)))
with open(os.path.join(HERE, "img", "dot.gif"), "wb") as f:
    f.write(GIF)
with open(os.path.join(HERE, "img", "not-an-image.png"), "wb") as f:
    f.write(b"<html>this is not a picture</html>\n")
import base64
data_uri = "data:image/png;base64," + base64.b64encode(png(2, 2, (20, 20, 200))).decode()
im = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Images</title></head>
<body><article><h1>Images of Son La</h1>
<p>A local image: <img src="img/red.png" alt="a red square"> and again through a detour:
<img src="img/../img/./red.png" alt="the same square">.</p>
<p>A GIF: <img src="img/dot.gif" alt="a dot">; inline data: <img src="{data_uri}" alt="a blue square">.</p>
<p>Remote: <img src="https://sonla.gov.vn/upload/moc-chau.jpg" alt="Moc Chau plateau">;
lazy: <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="https://sonla.gov.vn/upload/lazy.jpg" alt="lazy loaded">.</p>
<p>Refused: <img src="../../../../../../etc/passwd" alt="outside the directory">,
<img src="/etc/passwd" alt="an absolute path">, <img src="file:///etc/passwd" alt="a file URL">,
<img src="img/not-an-image.png" alt="not an image">, <img src="img/missing.png" alt="a missing file">.</p>
<p>Tracking pixel:<img src="https://stats.example.com/pixel.gif" width="1" height="1" alt=""> gone.</p>
<figure><img src="img/red.png" alt="red again"><figcaption>A figure with a local image.</figcaption></figure>
</article></body></html>
"""
write("images.html", im)
expect("images", [
    "meta title = Images of Son La",
    "block p~ = A local image: and again through a detour: .",
    "block p~ = A GIF: ; inline data: .",
    "block p~ = Remote: ; lazy: .",
    "block p = Refused: outside the directory, an absolute path, a file URL, not an image, a missing file.",
    "block p = Tracking pixel: gone.",
    "block caption = A figure with a local image.",
    "attr .//ir:p[1]/ir:image[1] ref = image1.png",
    "attr .//ir:p[1]/ir:image[1] alt = a red square",
    "attr .//ir:p[1]/ir:image[2] ref = image1.png",
    "attr .//ir:p[2]/ir:image[1] ref = image2.gif",
    "attr .//ir:p[2]/ir:image[2] ref = image3.png",
    "attr .//ir:p[3]/ir:image[1] src = https://sonla.gov.vn/upload/moc-chau.jpg",
    "attr .//ir:p[3]/ir:image[2] src = https://sonla.gov.vn/upload/lazy.jpg",
    "count .//ir:p[4]/ir:image = 0",
    "count .//ir:p[5]/ir:image = 0",
    "attr .//ir:figure/ir:image ref = image1.png",
    "count .//ir:image = 7",
])
print("fixtures written to", HERE)
