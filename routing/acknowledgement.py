"""The after-hours acknowledgement, in the customer's language, with the promised response time.

Templates are written by people (not machine-translated) for the languages the demo teams
serve; for any other language the English text is returned and the workflow translates it.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.routing import AfterHoursAck

FALLBACK_LANGUAGE = "en"

TEMPLATES: dict[str, str] = {
    "en": ("Thank you for contacting us. We have received your request {ref}. Our team is currently "
           "outside business hours; you can expect a first response by {when}."),
    "de": ("Vielen Dank für Ihre Nachricht. Wir haben Ihre Anfrage {ref} erhalten. Unser Team ist derzeit "
           "außerhalb der Geschäftszeiten; Sie erhalten eine erste Antwort bis {when}."),
    "fr": ("Merci de nous avoir contactés. Nous avons bien reçu votre demande {ref}. Notre équipe est "
           "actuellement en dehors des heures d'ouverture ; vous recevrez une première réponse "
           "d'ici le {when}."),
    "it": ("Grazie per averci contattato. Abbiamo ricevuto la sua richiesta {ref}. Il nostro team è al "
           "momento fuori dall'orario di lavoro; riceverà una prima risposta entro {when}."),
    "es": ("Gracias por contactarnos. Hemos recibido su solicitud {ref}. Nuestro equipo está fuera del "
           "horario de atención; recibirá una primera respuesta antes del {when}."),
    "pt": ("Obrigado por entrar em contato. Recebemos a sua solicitação {ref}. Nossa equipe está fora do "
           "horário de atendimento; você receberá uma primeira resposta até {when}."),
    "nl": ("Bedankt voor uw bericht. We hebben uw aanvraag {ref} ontvangen. Ons team is momenteel buiten "
           "kantooruren; u ontvangt een eerste antwoord uiterlijk {when}."),
    "th": ("ขอบคุณที่ติดต่อเรา เราได้รับคำขอของคุณ {ref} แล้ว ขณะนี้อยู่นอกเวลาทำการของทีมเรา "
           "คุณจะได้รับการตอบกลับครั้งแรกภายใน {when}"),
    "vi": ("Cảm ơn bạn đã liên hệ với chúng tôi. Chúng tôi đã nhận được yêu cầu {ref} của bạn. Hiện tại "
           "đang ngoài giờ làm việc; bạn sẽ nhận được phản hồi đầu tiên trước {when}."),
    "id": ("Terima kasih telah menghubungi kami. Kami telah menerima permintaan Anda {ref}. Saat ini di "
           "luar jam kerja tim kami; Anda akan menerima tanggapan pertama paling lambat {when}."),
    "ms": ("Terima kasih kerana menghubungi kami. Kami telah menerima permintaan anda {ref}. Pasukan kami "
           "kini di luar waktu pejabat; anda akan menerima jawapan pertama selewat-lewatnya {when}."),
    "tl": ("Salamat sa pakikipag-ugnayan sa amin. Natanggap namin ang iyong kahilingan {ref}. Sarado pa "
           "ang aming team sa ngayon; makakatanggap ka ng unang tugon bago ang {when}."),
    "zh": "感谢您的来信。我们已收到您的请求 {ref}。目前为非工作时间，您将在 {when} 之前收到首次回复。",
    "ja": ("お問い合わせいただきありがとうございます。お問い合わせ {ref} を受け付けました。"
           "現在は営業時間外のため、{when} までに最初のご回答をお送りします。"),
    "ko": ("문의해 주셔서 감사합니다. 요청 {ref}을(를) 접수했습니다. "
           "현재 업무 시간 외이며, {when}까지 첫 답변을 드리겠습니다."),
    "ru": ("Благодарим за обращение. Мы получили ваш запрос {ref}. Сейчас нерабочее время; первый ответ "
           "вы получите до {when}."),
    "ar": "شكرًا لتواصلك معنا. لقد استلمنا طلبك {ref}. نحن حاليًا خارج ساعات العمل، وستتلقى أول رد قبل {when}.",
    "tr": ("Bizimle iletişime geçtiğiniz için teşekkür ederiz. {ref} numaralı talebinizi aldık. Ekibimiz "
           "şu anda mesai saatleri dışında; ilk yanıtı en geç {when} tarihine kadar alacaksınız."),
    "pl": ("Dziękujemy za kontakt. Otrzymaliśmy Twoje zgłoszenie {ref}. Nasz zespół jest obecnie poza "
           "godzinami pracy; pierwszą odpowiedź otrzymasz do {when}."),
}


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def format_when(at: datetime, timezone: str | None, fallback_timezone: str) -> str:
    """Language-neutral: `2026-11-24 10:00 (America/New_York, UTC-05:00)`."""
    zone = _zone(timezone) or _zone(fallback_timezone) or ZoneInfo("UTC")
    local = at.astimezone(zone)
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hh, mm = divmod(abs(minutes), 60)
    return f"{local:%Y-%m-%d %H:%M} ({zone.key}, UTC{sign}{hh:02d}:{mm:02d})"


def render_ack(language: str, ticket_ref: str, expected_by: datetime, customer_timezone: str | None,
               calendar_timezone: str) -> AfterHoursAck:
    base = language.split("-")[0].lower()
    template_language = base if base in TEMPLATES else FALLBACK_LANGUAGE
    when = format_when(expected_by.astimezone(UTC), customer_timezone, calendar_timezone)
    text = TEMPLATES[template_language].format(ref=ticket_ref, when=when)
    return AfterHoursAck(language=template_language, text=text, expected_by=expected_by)
