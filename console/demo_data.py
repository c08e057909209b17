"""The demo tickets: realistic multilingual cases, each a (spec) the seed turns into TicketState.

DEMO PROJECTION DATA: these rows are written straight into the SQL projection so the console
can be shown and tested without running workflows. Their ids start with `DEMO-`; acting on
them through Temporal fails with "workflow not found", which the console shows as such.
"""

from typing import Any

HOSTILE_BODY = "<script>alert(1)</script> **bold** [x](javascript:alert(1))"

# minutes: offsets from "now" (negative = in the past). clocks: target -> (started, deadline) minutes.
# fmt: off
DEMO_TICKETS: list[dict[str, Any]] = [
    {"id": "DEMO-0001", "lang": "de", "conf": 0.99, "domain": "technical_support",
     "industry": "electronics", "status": "processing", "priority": "high",
     "assignee": "lukas.meyer", "team": "berlin", "channel": "email",
     "customer": ("Klaus Weber", "k.weber@example.de", "DE"), "created": -180,
     "subject": ("Gerät startet nicht nach Firmware-Update", "固件更新后设备无法启动"),
     "messages": [
         ("inbound", "Guten Tag, das Gerät startet nach dem Firmware-Update nicht mehr. "
                     "Seriennummer SN-44821.",
          "您好，固件更新后设备无法启动。序列号 SN-44821。", [("Firmware", "固件")], -180),
         ("note", "客户固件版本 2.1，已请技术部确认回滚方案。",
          None, [], -120),
         ("outbound", "您好，请先长按电源键 10 秒进行硬重启，然后告诉我们指示灯的颜色。",
          "Guten Tag, bitte halten Sie die Ein-/Aus-Taste 10 Sekunden gedrückt (Hard-Reset) und nennen "
          "Sie uns die Farbe der Kontrollleuchte.", [("硬重启", "Hard-Reset")], -90),
         ("inbound", "Die Leuchte blinkt rot.",
          "指示灯闪红灯。", [], -30),
     ],
     "clocks": {"next_reply": (-30, 25), "resolution": (-180, 7020)}},
    {"id": "DEMO-0002", "lang": "th", "conf": 0.97, "domain": "logistics",
     "industry": "light_industry", "status": "pending_assignment", "priority": "normal",
     "assignee": None, "team": None, "channel": "web",
     "customer": ("สมชาย ใจดี", "somchai@example.co.th", "TH"), "created": -25,
     "subject": ("สินค้ายังไม่ถึง", "货物尚未到达"),
     "messages": [
         ("inbound", "สินค้าที่สั่งเมื่อสองสัปดาห์ก่อนยังไม่ถึง หมายเลขติดตาม TH123456789",
          "两周前订购的货物仍未到达，运单号 TH123456789", [("หมายเลขติดตาม", "运单号")], -25),
     ],
     "clocks": {"assign": (-25, 5), "resolution": (-25, 7175)}},
    {"id": "DEMO-0003", "lang": "ja", "conf": 0.98, "domain": "order_inquiry",
     "industry": "electronics", "status": "pending_collaboration", "priority": "normal",
     "assignee": "kim.jiwoo", "team": "shenzhen", "channel": "email",
     "customer": ("佐藤 健", "k.sato@example.jp", "JP"), "created": -600,
     "subject": ("追加注文の納期について", "关于追加订单的交货期"),
     "messages": [
         ("inbound", "先月の注文に500台追加したいのですが、納期はいつになりますか？",
          "我们想在上个月的订单上追加500台，交货期是什么时候？", [("納期", "交货期")], -600),
         ("note", "已请物流部确认 500 台追加的交期。",
          None, [], -560),
     ],
     "clocks": {"collaboration": (-560, 880), "resolution": (-600, 6600)}},
    {"id": "DEMO-0004", "lang": "es", "conf": 0.96, "domain": "complaint",
     "industry": "machinery", "status": "processing", "priority": "urgent",
     "assignee": "chloe.martin", "team": "berlin", "channel": "email",
     "customer": ("María López", "m.lopez@example.es", "ES"), "created": -1500, "breached": True,
     "escalation": 2, "subject": ("Reembolso no recibido", "未收到退款"),
     "messages": [
         ("inbound", "Hace tres semanas solicité un reembolso y todavía no lo he recibido. Es inaceptable.",
          "三周前我申请了退款，至今仍未收到。这是不可接受的。", [("reembolso", "退款")], -1500),
     ],
     "clocks": {"first_reply": (-1500, -1260), "resolution": (-1500, 5700)}},
    {"id": "DEMO-0005", "lang": "fr", "conf": 0.99, "domain": "pre_sales",
     "industry": "light_industry", "status": "pending_reply", "priority": "normal",
     "assignee": "chloe.martin", "team": "berlin", "channel": "web",
     "customer": ("Julien Moreau", "j.moreau@example.fr", "FR"), "created": -400,
     "subject": ("Demande de devis pour 2000 unités", "2000 件的报价请求"),
     "messages": [
         ("inbound", "Bonjour, pourriez-vous nous envoyer un devis pour 2000 unités, "
                     "livraison FOB Shenzhen ?",
          "您好，能否给我们发送 2000 件的报价，FOB 深圳交货？", [("FOB", "FOB")], -400),
     ],
     "clocks": {"pending_reply": (-60, 180), "resolution": (-400, 6800)}},
    {"id": "DEMO-0006", "lang": "vi", "conf": 0.95, "domain": "billing", "industry": None,
     "status": "closed", "priority": "low", "assignee": "nguyen.an", "team": "manila",
     "channel": "email", "customer": ("Trần Thị Mai", "mai.tran@example.vn", "VN"),
     "created": -4000, "resolution": 'invoice reissued', "subject": ("Hóa đơn bị sai", "发票有误"),
     "messages": [
         ("inbound", "Hóa đơn số INV-2291 ghi sai mã số thuế của công ty chúng tôi.",
          "发票 INV-2291 上我们公司的税号写错了。", [("Hóa đơn", "发票")], -4000),
         ("outbound", "已为您重新开具发票，请查收附件。",
          "Chúng tôi đã xuất lại hóa đơn, vui lòng xem tệp đính kèm.", [("发票", "hóa đơn")], -3900),
     ],
     "clocks": {}},
    {"id": "DEMO-0007", "lang": "en", "conf": 0.41, "domain": "other", "industry": None,
     "status": "pending_assignment", "priority": "normal", "assignee": None, "team": None,
     "channel": "api", "customer": ("Alex Kim", "alex@example.com", "US"), "created": -50,
     "breached": True, "triage": True, "subject": ("hi", "你好"),
     "messages": [
         ("inbound", "hi pls help asap",
          "你好，请尽快帮忙", [], -50),
     ],
     "clocks": {"assign": (-50, -20), "resolution": (-50, 7150)}},
    {"id": "DEMO-0008", "lang": "ko", "conf": 0.99, "domain": "after_sales",
     "industry": "electronics", "status": "processing", "priority": "normal",
     "assignee": "kim.jiwoo", "team": "shenzhen", "channel": "chat",
     "customer": ("이서준", "seojun.lee@example.kr", "KR"), "created": -90,
     "subject": ("보증 수리 요청", "保修维修申请"),
     "messages": [
         ("inbound", "구매한 지 6개월 된 제품의 화면이 깜빡입니다. 보증 수리가 가능한가요?",
          "购买六个月的产品屏幕闪烁。可以保修维修吗？", [("보증", "保修")], -90),
     ],
     "clocks": {"first_reply": (-60, 180), "resolution": (-90, 7110)}},
    {"id": "DEMO-0009", "lang": "ar", "conf": 0.93, "domain": "order_inquiry",
     "industry": None, "status": "pending_assignment", "priority": "normal",
     "assignee": None, "team": None, "channel": "email",
     "customer": ("Omar Haddad", "omar@example.ae", "AE"), "created": -15, "unavailable": True,
     "subject": ("استفسار عن الطلب", None),
     "messages": [
         ("inbound", "أود معرفة حالة طلبي رقم 7781.",
          None, [], -15),
     ],
     "clocks": {"assign": (-15, 15), "resolution": (-15, 7185)}},
    {"id": "DEMO-0010", "lang": "zh", "conf": 1.0, "domain": "technical_support",
     "industry": "machinery", "status": "processing", "priority": "high",
     "assignee": "wang.lei", "team": "shenzhen", "channel": "phone",
     "customer": ("刘洋", "liu.yang@example.cn", "CN"), "created": -300,
     "subject": ("数控机床主轴异响", None),
     "messages": [
         ("inbound", "数控机床主轴运行时有异响，转速 3000 以上更明显。",
          None, [], -300),
     ],
     "clocks": {"first_reply": (-240, 30), "resolution": (-300, 6900)}},
]

NOTIFICATIONS: list[dict[str, Any]] = [
    {"id": "demo:esc-0004", "ticket": "DEMO-0004", "kind": "escalation", "severity": "critical",
     "minutes": -20,
     "summary": "SLA first_reply breached: escalated to supervisor", "to": ["supervisor", "chloe.martin"]},
    {"id": "demo:breach-0007", "ticket": "DEMO-0007", "kind": "sla_breach", "severity": "warning",
     "minutes": -20,
     "summary": "SLA assign breached", "to": ["supervisor"]},
    {"id": "demo:warn-0002", "ticket": "DEMO-0002", "kind": "sla_warning", "severity": "warning",
     "minutes": -1,
     "summary": "SLA assign due soon", "to": ["supervisor"]},
]

DEMO_TASKS: list[dict[str, Any]] = [
    {"ticket": "DEMO-0003", "no": 1, "department": "logistics", "department_name": "物流部",
     "assignee": "chen.jie", "by": "kim.jiwoo", "question": "追加 500 台的最早发货日期是哪天？",
     "context": "客户想在上月订单上追加 500 台。", "status": "open", "created": -560, "deadline": 320},
    {"ticket": "DEMO-0003", "no": 2, "department": "warehouse", "department_name": "仓库",
     "assignee": "sun.li", "by": "kim.jiwoo", "question": "现有库存够 500 台吗？", "context": "",
     "status": "done", "created": -550, "deadline": -70, "result": "库存 320 台，其余两周内到货。"},
    {"ticket": "DEMO-0004", "no": 1, "department": "logistics", "department_name": "物流部",
     "assignee": "chen.jie", "by": "chloe.martin", "question": "退款对应的退货是否已签收？",
     "context": "客户三周前申请退款。", "status": "open", "created": -300, "deadline": -60},
]

# Demo sign-ins, documented in console/README.md. Only for the embedded demo; never for production.
DEMO_PASSWORD = "lingodesk-demo"
DEMO_USERS: list[dict[str, Any]] = [
    {"username": "admin", "role": "admin", "display_name": "Demo Admin", "agent_id": None},
    {"username": "zhang.min", "role": "supervisor", "display_name": "张敏", "agent_id": "zhang.min"},
    {"username": "wang.lei", "role": "agent", "display_name": "王磊", "agent_id": "wang.lei"},
    {"username": "lukas.meyer", "role": "agent", "display_name": "Lukas Meyer", "agent_id": "lukas.meyer"},
    {"username": "chen.jie", "role": "department", "display_name": "陈杰 (物流部)", "agent_id": None,
     "department_id": "logistics"},
]
# fmt: on
