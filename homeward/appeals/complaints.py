"""The draft complaint to the prosecutor's office when the answer is late (нарушение 59-ФЗ).

Written in Russian (it goes to a Russian prosecutor) from the filing's own facts; the
member edits it before making the PDF. The grounds: Constitution art. 33; 59-FZ art. 5
and art. 10 part 1 item 4 (a written answer on the merits) and art. 12 (the period);
the prosecutor's supervision under art. 10 and art. 21 of the Law on the Prosecutor's
Office; and art. 5.59 of the Code of Administrative Offences (breach of the procedure
for considering citizens' appeals), whose cases the prosecutor opens (CAO art. 28.4).
"""

from __future__ import annotations

import datetime as dt

from homeward.appeals.deadlines import Deadlines
from homeward.appeals.letters import russian_date
from homeward.appeals.models import Channel, Filing

CHANNEL_RU = {
    Channel.SITE: "через официальный сайт (информационную систему) органа",
    Channel.GOSUSLUGI: "через портал «Госуслуги»",
    Channel.POST: "почтовым отправлением",
    Channel.IN_PERSON: "лично, через приёмную",
    Channel.FORWARDED: "в порядке перенаправления из другого органа",
}


def complaint_text(*, filing: Filing, deadlines: Deadlines, today: dt.date) -> str:
    body = filing.body_name
    sent = russian_date(filing.sent_on)
    parts = []
    parts.append(
        "Сообщаю о нарушении Федерального закона от 2 мая 2006 г. № 59-ФЗ «О порядке рассмотрения обращений "
        "граждан Российской Федерации» и прошу принять меры прокурорского реагирования."
    )
    if filing.forwarded_from_id:
        facts = (
            f"{sent} моё обращение было перенаправлено другому адресату ({body}) "
            f"(первоначально направлено {russian_date(filing.forwarded_from.sent_on)})."
        )
    else:
        facts = (
            f"{sent} мною было направлено письменное обращение (адресат: {body}) {CHANNEL_RU.get(filing.channel, '')}."
        )
    if filing.registered_on or filing.registration_number:
        reg = "Обращение зарегистрировано"
        if filing.registered_on:
            reg += f" {russian_date(filing.registered_on)}"
        if filing.registration_number:
            reg += f" за № {filing.registration_number}"
        facts += f" {reg}."
    else:
        facts += (
            " Сведения о регистрации обращения мне не сообщены; в силу части 2 статьи 8 Федерального закона "
            f"№ 59-ФЗ оно должно было быть зарегистрировано не позднее {russian_date(deadlines.registration.due)}."
        )
    parts.append(facts)
    period = (
        "Согласно части 1 статьи 12 Федерального закона № 59-ФЗ письменное обращение рассматривается в течение "
        "30 дней со дня регистрации."
    )
    if deadlines.extended is not None and filing.extension_notified_on:
        period += (
            f" Срок рассмотрения был продлён на {deadlines.extended.days} дн. (уведомление от "
            f"{russian_date(filing.extension_notified_on)}, часть 2 статьи 12)."
        )
    period += (
        f" Срок истёк {russian_date(deadlines.final.due)}. По состоянию на {russian_date(today)} ответ мне не дан."
    )
    parts.append(period)
    parts.append(
        "Тем самым нарушено моё право на обращение (статья 33 Конституции Российской Федерации) и на получение "
        "письменного ответа по существу поставленных вопросов (статья 5, пункт 4 части 1 статьи 10 Федерального "
        "закона № 59-ФЗ). Нарушение установленного порядка рассмотрения обращений граждан образует состав "
        "административного правонарушения, предусмотренного статьёй 5.59 Кодекса Российской Федерации об "
        "административных правонарушениях."
    )
    parts.append(
        "На основании статей 10 и 21 Федерального закона «О прокуратуре Российской Федерации» прошу:\n"
        f"1. Провести проверку соблюдения адресатом ({body}) порядка рассмотрения моего обращения.\n"
        "2. Принять меры прокурорского реагирования, чтобы мне был дан ответ по существу.\n"
        "3. Рассмотреть вопрос о возбуждении дела об административном правонарушении по статье 5.59 КоАП РФ "
        "в отношении виновных должностных лиц.\n"
        "4. О результатах рассмотрения жалобы сообщить мне в письменной форме по указанному адресу."
    )
    parts.append(f"Приложение: копия обращения от {sent} и подтверждение его отправки.")
    return "\n\n".join(parts)
