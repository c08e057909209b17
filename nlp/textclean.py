"""Strips what is not the customer's own words before language ID and classification.

A short ticket ("Danke!") quoted above a long English reply, a URL, an order number or a
signature with a company address would otherwise decide the language. The e-mail channel reuses
`split_quoted` to keep the quoted history out of the ticket thread.

Everything here is compiled once at import; the hot path does substring checks first so a plain
one-line message pays for a handful of `in` tests and one regex search.
"""

import html
import re

# --- quoted reply history -------------------------------------------------------------------------

# Verbs of attribution lines ("On Mon, 1 Jan 2024, Ann <a@b.c> wrote:"), in the languages we serve.
_ATTRIBUTION_VERBS = (
    r"wrote|writes|schrieb|hat geschrieben|a écrit|escribió|escreveu|ha scritto|schreef|skrev|"
    r"kirjoitti|napisał\(a\)|napisała|napisał|napsal\(a\)|napsala|napsal|írta|a scris|έγραψε|"
    r"пишет|написал\(а\)|написала|написал|пише|написав|yazdı|menulis|đã viết|sumulat|"
    r"เขียนว่า|เขียน|写道|寫道|書きました|のメッセージ|작성|كتب|כתב|כתבה|نوشت|ने लिखा|লিখেছেন"
)
_ATTRIBUTION = re.compile(rf"(?:{_ATTRIBUTION_VERBS})", re.IGNORECASE)
_COLON_END = re.compile(r"[:：]\s*$")
# How attributions begin where the date comes first ("On Mon, ...", "Am 1. Jan ..."): used to tell
# the first half of a wrapped attribution from the customer's own last line above it.
_ATTRIBUTION_START = re.compile(
    r"^\s*(?:on|am|le|el|em|il giorno|il|op|den|w dniu|dne|vào|pada|在|于|於|في|ב-?)\b", re.IGNORECASE)
# Gmail in Japanese and some other locales writes no verb: "2024年1月1日(月) 10:00 山田 <y@x.jp>:".
_ADDRESS_COLON_END = re.compile(r"<[^<>@\s]+@[^<>\s]+>\s*[:：]\s*$")

# "-----Original Message-----", "-----Ursprüngliche Nachricht-----", "------ 原始邮件 ------"...
_ORIGINAL_MESSAGE = re.compile(
    r"^[ \t\u00a0]*[-_=]{3,}[ \t\u00a0]*(?:original message|ursprüngliche nachricht|originalnachricht|"
    r"message d'origine|mensaje original|mensagem original|messaggio originale|oorspronkelijk bericht|"
    r"ursprungligt meddelande|oprindelig meddelelse|opprinnelig melding|alkuperäinen viesti|"
    r"wiadomość oryginalna|původní zpráva|eredeti üzenet|mesaj original|αρχικό μήνυμα|orijinal mesaj|"
    r"исходное сообщение|пересланное сообщение|оригінальне повідомлення|原始邮件|原始郵件|"
    r"転送されたメッセージ|元のメッセージ|원본 메시지|thư gốc|pesan asli|mesej asal|ข้อความต้นฉบับ|"
    r"الرسالة الأصلية|הודעה מקורית|پیام اصلی|forwarded message|weitergeleitete nachricht)"
    r"[ \t\u00a0]*[-_=]{3,}[ \t\u00a0]*$",
    re.IGNORECASE | re.MULTILINE,
)
# The first line of an Outlook header block, and the labels that follow it.
_FROM_LABEL = re.compile(
    r"^\s*\*?(?:from|von|de|da|van|från|fra|od|kimden|от|від|发件人|寄件者|差出人|보낸 사람|từ|dari|"
    r"จาก|من|מאת|از|lähettäjä|feladó|από|प्रेषक)\*?\s*[:：]",
    re.IGNORECASE,
)
_HEADER_LABEL = re.compile(
    r"^\s*\*?(?:sent|date|to|subject|cc|gesendet|datum|an|betreff|envoyé|date|à|objet|enviado|fecha|para|"
    r"asunto|inviato|data|a|oggetto|verzonden|aan|onderwerp|skickat|till|ämne|sendt|til|emne|wysłano|"
    r"do|temat|odesláno|komu|předmět|gönderildi|tarih|kime|konu|отправлено|дата|кому|тема|надіслано|"
    r"发送时间|日期|收件人|主题|傳送時間|收件者|主旨|送信日時|宛先|件名|보낸 날짜|받는 사람|제목|"
    r"đã gửi|đến|chủ đề|dikirim|kepada|perihal|subjek|ส่ง|ถึง|เรื่อง|تاريخ الإرسال|إلى|الموضوع|"
    r"נשלח|אל|נושא|ارسال|به|موضوع|lähetetty|vastaanottaja|aihe|elküldve|címzett|tárgy|"
    r"στάλθηκε|προς|θέμα)\*?\s*[:：]",
    re.IGNORECASE,
)
_QUOTE_LINE = re.compile(r"^\s*(?:>|&gt;)")

# --- signatures --------------------------------------------------------------------------------------

_SIG_DELIMITER = re.compile(r"^(?:--|__+)\s*$")
# Closings that end the customer's words. Only unambiguous ones: "Thanks" or "谢谢" can be the
# whole message, so they stay.
_CLOSING = re.compile(
    r"^\s*(?:best regards|kind regards|warm regards|regards|best wishes|yours sincerely|sincerely|"
    r"yours faithfully|cheers|mit freundlichen grüßen|mit freundlichen grüssen|freundliche grüße|"
    r"viele grüße|beste grüße|liebe grüße|mfg|lg|cordialement|bien cordialement|salutations|"
    r"meilleures salutations|bien à vous|saludos cordiales|saludos|atentamente|un saludo|"
    r"atenciosamente|cumprimentos|abraços|cordiali saluti|distinti saluti|saluti|"
    r"met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|groeten|med vänliga hälsningar|"
    r"vänliga hälsningar|med venlig hilsen|venlig hilsen|med vennlig hilsen|vennlig hilsen|"
    r"ystävällisin terveisin|terveisin|pozdrawiam|z poważaniem|s pozdravem|s přátelským pozdravem|"
    r"üdvözlettel|tisztelettel|cu stimă|cu respect|με εκτίμηση|saygılarımla|с уважением|"
    r"з повагою|此致|此致敬礼|祝好|顺祝商祺|順祝商祺|敬具|よろしくお願いいたします|"
    r"안녕히 계십시오|trân trọng|hormat saya|salam hormat|ขอแสดงความนับถือ|مع التحية|"
    r"مع خالص التحيات|تحياتي|בברכה|با احترام|भवदीय|সম্মানসহ|lubos na gumagalang)"
    r"\s*[,，.。!！]?\s*$",
    re.IGNORECASE,
)
_SENT_FROM = re.compile(
    r"^\s*(?:sent from my|von meinem|envoyé de mon|enviado desde mi|enviado do meu|inviato da|"
    r"verzonden met|skickat från min|发自我的|從我的|送信元|iphone から送信)",
    re.IGNORECASE,
)
_MAX_SIGNATURE_LINES = 8

# --- tokens that carry no language ---------------------------------------------------------------------

_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"'，。）)]+", re.IGNORECASE)
# Anchored at the start of a run: otherwise a long run without a valid address is rescanned
# from each of its characters (quadratic on a pasted blob).
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Order, tracking, invoice, phone and model numbers: any ASCII run with a digit in it. No word
# boundaries, because in Chinese or Japanese "订单号123456" has no space before the number.
# A match starts only at the beginning of a run (the look-behind), so each run is scanned once
# instead of from every letter of every word. Spelled plainly the pattern is
#     (?<![A-Za-z0-9_/.:+#№-])[#№]?[A-Za-z0-9_/.:+-]*?[0-9][A-Za-z0-9_/.:+-]*
# (tests/nlp/test_textclean.py checks the two agree); this form opens with a character class,
# which lets the regex engine skip Cyrillic, Arabic or CJK text at C speed: half the time there.
_NUMBERISH = re.compile(
    r"[#№A-Za-z0-9_/.:+-](?<![A-Za-z0-9_/.:+#№-].)(?:(?<=[0-9])|[A-Za-z_/.:+-]*+[0-9])[A-Za-z0-9_/.:+-]*+")
_DIGIT = re.compile(r"[0-9]")
_HTML_DROP = re.compile(r"<(script|style|head)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_HTML_QUOTE = re.compile(r"<blockquote\b.*?</blockquote\s*>", re.IGNORECASE | re.DOTALL)
_HTML_BREAK = re.compile(r"<(?:br|/p|/div|/li|/tr|/h[1-6]|p|div)\b[^>]*>", re.IGNORECASE)
_HTML_TAG = re.compile(r"<[a-zA-Z/!][^>]{0,2000}>")
_HTML_HINT = re.compile(r"<[a-zA-Z/!]")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")


def html_to_text(text: str) -> str:
    """Tags out, entities decoded, block ends kept as line breaks, quoted <blockquote> dropped."""
    if _HTML_HINT.search(text):
        text = _HTML_DROP.sub(" ", text)
        text = _HTML_QUOTE.sub("\n", text)
        text = _HTML_BREAK.sub("\n", text)
        text = _HTML_TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return text


def _attribution_at(lines: list[str], i: int) -> int | None:
    """Index of the first line of a reply attribution ending on line i, if there is one."""
    line = lines[i]
    if not _COLON_END.search(line) or len(line) > 300:
        return None
    wrapped = i > 0 and _ATTRIBUTION_START.match(lines[i - 1]) and not _COLON_END.search(lines[i - 1])
    for start in ((i - 1, i) if wrapped else (i,)):  # clients wrap long attributions onto a second line
        joined = " ".join(lines[start:i + 1])
        dated = any(c.isdigit() for c in joined)
        if _ATTRIBUTION.search(joined) and (dated or "@" in joined):
            return start
        if dated and _ADDRESS_COLON_END.search(joined):
            return start
    return None


def _outlook_block_at(lines: list[str], i: int) -> bool:
    if not _FROM_LABEL.match(lines[i]):
        return False
    following = [ln for ln in lines[i + 1:i + 6] if ln.strip()]
    return any(_HEADER_LABEL.match(ln) for ln in following[:4])


def split_quoted(text: str) -> tuple[str, str]:
    """Split an e-mail body into (the customer's new text, the quoted history).

    The history starts at the first reply attribution ("On ... wrote:", "Am ... schrieb",
    "在 ... 写道"), "-----Original Message-----" separator or Outlook "From:/Sent:" block; lines
    starting with ">" are quoted wherever they are, so inline answers between them stay new text.
    """
    if not text:
        return "", ""
    lines = text.splitlines()
    cut = len(lines)
    might_have_header = ":" in text or "：" in text
    separator = _ORIGINAL_MESSAGE.search(text) if "---" in text or "___" in text or "===" in text else None
    if separator:
        cut = text.count("\n", 0, separator.start())
    if might_have_header:
        for i in range(min(cut, len(lines))):
            start = _attribution_at(lines, i)
            if start is not None:
                cut = start
                break
            if _outlook_block_at(lines, i):
                cut = i
                break
    new_lines = lines[:cut]
    quoted_lines = lines[cut:]
    if ">" in text or "&gt;" in text:
        kept: list[str] = []
        inline_quoted: list[str] = []
        for line in new_lines:
            (inline_quoted if _QUOTE_LINE.match(line) else kept).append(line)
        new_lines = kept
        quoted_lines = inline_quoted + quoted_lines
    return "\n".join(new_lines).strip(), "\n".join(quoted_lines).strip()


def strip_signature(text: str) -> str:
    """Drop a trailing signature: from a "-- " delimiter, a closing formula or "Sent from my ..."."""
    lines = text.splitlines()
    if len(lines) < 2:
        return text
    for i in range(1, len(lines)):
        line = lines[i]
        if _SIG_DELIMITER.match(line) or _SENT_FROM.match(line):
            return "\n".join(lines[:i]).strip()
        closing = len(lines) - i <= _MAX_SIGNATURE_LINES and _CLOSING.match(line)
        if closing and any(ln.strip() for ln in lines[:i]):
            return "\n".join(lines[:i]).strip()
    return text


def strip_noise_tokens(text: str) -> str:
    """URLs, e-mail addresses and digit-bearing codes (order, tracking, phone, model numbers) out."""
    if "http" in text or "www." in text or "ftp:" in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _EMAIL.sub(" ", text)
    return _NUMBERISH.sub(" ", text) if _DIGIT.search(text) else text


def normalize_space(text: str) -> str:
    """One space between words, one blank line between paragraphs."""
    if "\n" not in text:
        if "  " in text or "\t" in text or "\u00a0" in text or "\u3000" in text:
            text = _SPACES.sub(" ", text)
        return text.strip()
    paragraphs = _BLANK_LINES.split(text.strip())
    cleaned = ("\n".join(_SPACES.sub(" ", ln).strip() for ln in p.splitlines() if ln.strip())
               for p in paragraphs)
    return "\n\n".join(p for p in cleaned if p)


# Every character or string that makes a step of `clean_all_steps` change a text other than by
# trimming its ends. Most ticket sentences have none, and one scan for them costs a fifth of
# running the steps (language ID of a sentence takes about 30 us in all).
_CLEANING_CHARS = re.compile(r"[<>&@0-9\n\t\u00a0\u3000]")


def clean_for_detection(text: str) -> str:
    """The customer's own words only: no HTML, quoted history, signature, URLs, addresses or codes."""
    if _CLEANING_CHARS.search(text) or "  " in text or "http" in text or "www." in text or "ftp:" in text:
        return clean_all_steps(text)
    return text.strip()


def clean_all_steps(text: str) -> str:
    """`clean_for_detection` without the shortcut for text that no step would change."""
    text = html_to_text(text)
    if "\n" in text:
        text, _ = split_quoted(text)
        text = strip_signature(text)
    elif ">" in text or "&gt;" in text:
        text, _ = split_quoted(text)
    text = strip_noise_tokens(text)
    if ">" in text:
        # Removing a code can leave a line that now starts with a quote marker ("0>" -> ">").
        text, _ = split_quoted(text)
    return normalize_space(text)
