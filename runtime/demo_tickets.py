"""A handful of real-looking tickets in several languages, started through Temporal like any client."""

from temporalio.client import Client

from domain.ticket import Channel, Customer, CustomerTier, TicketInput
from runtime.tickets import start_ticket

DEMO_TICKETS: list[TicketInput] = [
    TicketInput(
        ticket_id="demo-1",
        channel=Channel.EMAIL,
        customer=Customer(email="k.weber@example.de", name="Klaus Weber", country="DE"),
        subject="Gerät startet nicht",
        body="Guten Tag, das Gerät startet nach dem Firmware-Update nicht mehr. Bitte um Hilfe.",
    ),
    TicketInput(
        ticket_id="demo-2",
        channel=Channel.EMAIL,
        customer=Customer(email="somsak@example.co.th", name="Somsak", country="TH"),
        subject="พัสดุยังไม่มาถึง",
        body="สวัสดีครับ พัสดุหมายเลข SF123456789 ยังไม่มาถึงเลย ช่วยตรวจสอบการจัดส่งให้หน่อยครับ",
    ),
    TicketInput(
        ticket_id="demo-3",
        channel=Channel.WEB,
        customer=Customer(email="ana@example.es", name="Ana García", country="ES", tier=CustomerTier.VIP),
        subject="Reembolso del pedido",
        body="Hola, devolví el pedido A12345 hace dos semanas y todavía no he recibido el reembolso.",
    ),
    TicketInput(
        ticket_id="demo-4",
        channel=Channel.EMAIL,
        customer=Customer(email="tanaka@example.jp", name="田中", country="JP"),
        subject="ベアリングの仕様について",
        body="お世話になっております。モデルX200のベアリングの仕様と見積もりをお願いできますか。",
    ),
    TicketInput(
        ticket_id="demo-5",
        channel=Channel.API,
        customer=Customer(email="buyer@example.com", name="John Miller", country="US"),
        subject="Invoice for order 88123",
        body="Hello, could you send me the invoice for order 88123? Our accounting needs it this week.",
    ),
    TicketInput(
        ticket_id="demo-6",
        channel=Channel.EMAIL,
        customer=Customer(email="m.alharbi@example.sa", name="محمد الحربي", country="SA"),
        subject="البطارية تسخن",
        body="السلام عليكم، البطارية في الجهاز تسخن بشكل كبير أثناء الشحن. ما الحل؟",
    ),
]


async def start_demo_tickets(client: Client) -> list[str]:
    started: list[str] = []
    for ticket in DEMO_TICKETS:
        ticket_id, created = await start_ticket(client, ticket)
        if created:
            started.append(ticket_id)
    return started
