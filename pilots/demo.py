"""The five cases of DESIGN.md, with the numbers, dates, participants and funders
of the seed documents (SEEP 2011, CGAP 2012, FINCA Perú).

Everything is written through `pilots.services`, as staff would. Idempotent: an
innovation that already exists (by slug) is left as it is, so re-running the
loader never overwrites what staff have logged since.

Where the seeds give counts but no names (REDCAMIF's ten MFIs, RFR's ten MFIs),
the institutions are created as `illustrative`. Where they give no due date for
a target, the date chosen is noted in the milestone or summary text.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from portal.accounts.models import InstitutionType, User
from portal.demo import funder, institution, product_line

from . import demo_reporting, services
from .cycle import EvaluationQuestion, Stage
from .models import Counted, Innovation, InnovationStatus, LessonKind, SelectionCriterion, Visibility

D = datetime.date
DEMO_MEMBER = "Cooperativa Ilustrativa Andina"  # portal.demo: the demo member user's institution
SEEP = "SEEP Network, Promoting innovation in microfinance (2011)"
CGAP = "CGAP, El modelo KGFS en India (2012)"
FINCA = "FINCA Perú, adaptación del modelo IMAGE"

CRITERIA = [
    ("legal-framework", "Marco jurídico nacional idóneo", "Suitable national legal framework"),
    ("clients-served", "Número de clientes atendidos", "Number of clients served"),
    ("solidity", "Solidez institucional", "Institutional solidity"),
    ("transparency", "Transparencia", "Transparency"),
    ("interest", "Interés expresado en el piloto", "Expressed interest in the pilot"),
]


def _criteria(*codes):
    return list(SelectionCriterion.objects.filter(code__in=codes))


def _move(innovation, user, steps):
    for to_stage, on, why in steps:
        services.innovation_advance_stage(
            innovation=innovation, to_stage=to_stage, user=user, decided_on=on, rationale=why
        )


def _indicator(innovation, user, name, unit, *, targets=(), measurements=(), **options):
    indicator = services.indicator_define(innovation=innovation, user=user, name=name, unit=unit, **options)
    for stage, value, due in targets:
        services.target_set(indicator=indicator, stage=stage, value=Decimal(value), due_date=due, user=user)
    for on, value, source, *participation in measurements:
        services.measurement_record(
            indicator=indicator,
            measured_on=on,
            value=Decimal(value),
            source=source,
            user=user,
            participation=participation[0] if participation else None,
        )
    return indicator


def _milestones(innovation, user, rows):
    for title, stage, planned_start, planned, actual in rows:
        services.milestone_record(
            innovation=innovation,
            user=user,
            title=title,
            stage=stage,
            planned_start=planned_start,
            planned_date=planned,
            actual_date=actual,
            status="done" if actual else "planned",
        )


def _new(user, slug, **fields):
    if Innovation.objects.filter(slug=slug).exists():
        return None
    return services.innovation_create(user=user, slug=slug, lead=user, **fields)


def redcamif(user):
    inn = _new(
        user,
        "redcamif-micropensiones",
        title="Micropensiones en Centroamérica (REDCAMIF)",
        summary=(
            "REDCAMIF, con el BID y el Gran Ducado de Luxemburgo, estudió la demanda de micropensiones: una demanda "
            "potencial de más de 8,5 millones de personas y un mercado objetivo de más de 600.000 clientes entre los "
            "1,27 millones de prestatarios de las IMF asociadas. Diez IMF (3 de Guatemala, 3 de Honduras y 4 de "
            "Nicaragua) prueban el producto; meta del piloto 25.000 clientes, meta de la fase final 400.000."
        ),
        title_en="Micro-pensions in Central America (REDCAMIF)",
        summary_en=(
            "REDCAMIF, with the IDB and the Grand Duchy of Luxembourg, studied the demand for micro-pensions: potential demand of over 8.5 million people and a target market of over 600,000 clients among the 1.27 million borrowers of member MFIs. Ten MFIs (3 in Guatemala, 3 in Honduras, 4 in Nicaragua) pilot the product; pilot target 25,000 clients, final-phase target 400,000."
        ),
        product_line=product_line("micro-pensions"),
        countries=["GT", "HN", "NI"],
        visibility=Visibility.PUBLIC,
        started_on=D(2007, 1, 15),
    )
    if inn is None:
        return
    _move(
        inn,
        user,
        [
            (
                Stage.DESIGN,
                D(2008, 1, 15),
                "El estudio de mercado de 2007 confirmó la demanda potencial (8,5 millones).",
            ),
            (Stage.PILOT, D(2010, 12, 15), "Investigación de mercado y pruebas de factibilidad terminadas en 2010."),
        ],
    )
    countries = [("GT", 3), ("HN", 3), ("NI", 4)]
    names = {"GT": "Guatemala", "HN": "Honduras", "NI": "Nicaragua"}
    participants = []
    for code, count in countries:
        for n in range(1, count + 1):
            mfi = institution(f"IMF ilustrativa {names[code]} {n}", code, InstitutionType.NGO, 20_000 + 5_000 * n)
            participants.append(
                services.participation_add(
                    innovation=inn,
                    institution=mfi,
                    since=D(2011, 1, 15),
                    stage=Stage.PILOT,
                    user=user,
                    criteria=_criteria("legal-framework", "clients-served", "solidity", "transparency"),
                )
            )
    _indicator(
        inn,
        user,
        "Clientes con micropensión",
        "count",
        counted=Counted.CLIENTS,
        name_en="Clients with a micro-pension",
        targets=[(Stage.PILOT, 25_000, D(2012, 12, 31)), (Stage.SCALE, 400_000, D(2016, 12, 31))],
        order=1,
    )
    _indicator(
        inn,
        user,
        "IMF participantes",
        "count",
        counted=Counted.INSTITUTIONS,
        name_en="Participating MFIs",
        targets=[(Stage.PILOT, 10, D(2011, 6, 30))],
        measurements=[(D(2011, 1, 15), 10, SEEP)],
        order=2,
    )
    _milestones(
        inn,
        user,
        [
            (
                "Estudio 1: demanda del mercado de micropensiones",
                Stage.IDENTIFY,
                D(2007, 1, 15),
                D(2007, 12, 31),
                D(2007, 12, 15),
            ),
            (
                "Estudio 2: viabilidad financiera de los productos",
                Stage.DESIGN,
                D(2008, 1, 15),
                D(2009, 12, 31),
                D(2009, 12, 15),
            ),
            (
                "Estudio 3: selección de países piloto por entorno normativo",
                Stage.DESIGN,
                D(2009, 1, 15),
                D(2010, 12, 31),
                D(2010, 11, 30),
            ),
            ("Lanzamiento del piloto en 10 IMF", Stage.PILOT, D(2010, 12, 15), D(2011, 3, 31), D(2011, 1, 15)),
            (
                "Evaluación externa por Pension and Development Network",
                Stage.EVALUATE,
                D(2011, 6, 1),
                D(2011, 10, 31),
                D(2011, 10, 11),
            ),
        ],
    )
    for name in ("REDCAMIF", "Banco Interamericano de Desarrollo (BID)", "Gran Ducado de Luxemburgo"):
        services.contribution_record(
            innovation=inn,
            funder=funder(name),
            stage=Stage.IDENTIFY if name != "REDCAMIF" else Stage.DESIGN,
            user=user,
            description="Estudios de mercado, viabilidad y selección de países",
        )
    for name in ("REDCAMIF", "Banco Interamericano de Desarrollo (BID)", "Gran Ducado de Luxemburgo"):
        services.contribution_record(
            innovation=inn,
            funder=funder(name),
            stage=Stage.PILOT,
            user=user,
            description="Costos del piloto compartidos con las IMF participantes",
        )
    services.lesson_record(
        innovation=inn,
        stage=Stage.IDENTIFY,
        kind=LessonKind.WORKED,
        user=user,
        recorded_on=D(2010, 12, 15),
        text="La visión regional de la red permitió detectar la demanda de micropensiones y recaudar fondos para reducir el riesgo de cada IMF.",
    )
    for code in ("survey_members", "supply_demand_studies", "link_associations"):
        services.checklist_tick(innovation=inn, action=code, done_on=D(2007, 12, 15), user=user)
    for code in ("pool_funds", "feasibility", "hire_experts"):
        services.checklist_tick(innovation=inn, action=code, done_on=D(2010, 11, 30), user=user)
    services.checklist_tick(innovation=inn, action="participation_criteria", done_on=D(2011, 1, 15), user=user)


def rfr(user):
    inn = _new(
        user,
        "rfr-microseguros",
        title="Microseguro simplificado (RFR, Ecuador)",
        summary=(
            "La Red Financiera Rural diseñó con una aseguradora elegida por concurso un seguro simplificado distribuido "
            "por las IMF. Piloto con 4 IMF, sumando una por mes, con la meta de 58.500 clientes asegurados a fines de "
            "2010. En marzo de 2011, 10 IMF llegaban a 51.000 clientes. La RFR retiene el 15 % de cada prima; las IMF "
            "hasta el 20 %; punto de equilibrio tras 30 meses y 100.000 prestatarios."
        ),
        title_en="Simplified micro-insurance (RFR, Ecuador)",
        summary_en=(
            "Red Financiera Rural designed a simplified insurance product with an insurer chosen by tender, sold through MFIs. Pilot with 4 MFIs, adding one a month, aiming at 58,500 insured clients by the end of 2010. In March 2011, 10 MFIs reached 51,000 clients. RFR keeps 15% of each premium; MFIs up to 20%; break-even after 30 months and 100,000 borrowers."
        ),
        product_line=product_line("micro-insurance"),
        countries=["EC"],
        visibility=Visibility.PUBLIC,
        started_on=D(2008, 9, 1),
    )
    if inn is None:
        return
    _move(
        inn,
        user,
        [
            (
                Stage.DESIGN,
                D(2009, 3, 1),
                "Los dos estudios de mercado mostraron pólizas demasiado complejas para los microempresarios.",
            ),
            (Stage.PILOT, D(2010, 1, 4), "Aseguradora elegida por concurso; cuatro IMF interesadas en el piloto."),
        ],
    )
    mfis = []
    for n in range(1, 11):
        # The first is the demo member's own cooperative, so that its user has figures to report.
        mfi = institution(
            DEMO_MEMBER if n == 1 else f"IMF ilustrativa Ecuador {n}",
            "EC",
            InstitutionType.COOPERATIVE if n % 2 else InstitutionType.NGO,
            18_000 if n == 1 else 15_000 + 2_000 * n,
        )
        since = D(2010, 1, 4) if n <= 4 else D(2010, n - 3, 1)
        mfis.append(
            services.participation_add(
                innovation=inn,
                institution=mfi,
                since=since,
                stage=Stage.PILOT,
                user=user,
                criteria=_criteria("interest"),
            )
        )
    _indicator(
        inn,
        user,
        "Clientes asegurados",
        "count",
        counted=Counted.CLIENTS,
        name_en="Insured clients",
        targets=[(Stage.PILOT, 58_500, D(2010, 12, 31)), (Stage.SCALE, 80_000, D(2011, 12, 31))],
        order=1,  # reported by the MFIs month by month: pilots.demo_reporting
    )
    _indicator(
        inn,
        user,
        "Satisfacción de los clientes",
        "percent",
        name_en="Client satisfaction",
        targets=[(Stage.PILOT, 90, D(2010, 12, 31))],
        order=2,  # reported by the MFIs month by month: pilots.demo_reporting
    )
    _indicator(
        inn,
        user,
        "Días para procesar un reclamo en la provincia de la aseguradora (8 fuera de ella)",
        "days",
        name_en="Days to process a claim in the insurer's province (8 outside it)",
        direction="lower",
        targets=[(Stage.PILOT, 5, D(2010, 12, 31))],
        measurements=[(D(2011, 3, 31), 5, SEEP)],
        order=3,
    )
    _indicator(
        inn,
        user,
        "IMF que ofrecen el microseguro",
        "count",
        counted=Counted.INSTITUTIONS,
        name_en="MFIs offering the micro-insurance",
        targets=[(Stage.PILOT, 13, D(2011, 12, 31)), (Stage.SCALE, 12, D(2011, 12, 31))],
        measurements=[(D(2010, 1, 4), 4, SEEP), (D(2011, 3, 31), 10, SEEP)],
        order=4,
    )
    _milestones(
        inn,
        user,
        [
            (
                "Dos estudios de mercado de microseguros (HIVOS, RFR; apoyo técnico OIT)",
                Stage.IDENTIFY,
                D(2008, 9, 1),
                D(2009, 2, 28),
                D(2009, 2, 28),
            ),
            ("Concurso y selección de la aseguradora", Stage.DESIGN, D(2009, 3, 1), D(2009, 9, 30), D(2009, 10, 31)),
            ("Lanzamiento del piloto con 4 IMF", Stage.PILOT, D(2009, 11, 1), D(2009, 12, 1), D(2010, 1, 4)),
            ("Experiencia compartida en el boletín de la OIT", Stage.PILOT, None, D(2010, 5, 31), D(2010, 5, 31)),
            ("58.500 clientes asegurados (fin de las tarifas favorables)", Stage.PILOT, None, D(2010, 12, 31), None),
            ("80.000 clientes en 12 IMF", Stage.SCALE, None, D(2011, 12, 31), None),
        ],
    )
    services.contribution_record(
        innovation=inn, funder=funder("HIVOS"), stage=Stage.IDENTIFY, user=user, description="Estudios de mercado"
    )
    services.contribution_record(
        innovation=inn,
        funder=funder("Red Financiera Rural (RFR)"),
        stage=Stage.IDENTIFY,
        user=user,
        description="Estudios de mercado",
    )
    services.contribution_record(
        innovation=inn,
        funder=funder("Organización Internacional del Trabajo (OIT)"),
        stage=Stage.IDENTIFY,
        user=user,
        description="Apoyo técnico",
    )
    services.contribution_record(
        innovation=inn,
        funder=funder("HIVOS"),
        stage=Stage.SCALE,
        user=user,
        description="Materiales educativos y promocionales",
    )
    for kind, text in [
        (
            LessonKind.WORKED,
            "La orientación social del producto y el material educativo para los clientes se complementan.",
        ),
        (
            LessonKind.WORKED,
            "Cumplir las normas de calidad y los tiempos de respuesta (reclamos en 5 días) posicionó a la RFR y aumentó los asegurados.",
        ),
        (
            LessonKind.DID_NOT_WORK,
            "La complejidad del mercadeo demoró el lanzamiento del piloto y redujo los ingresos proyectados.",
        ),
        (
            LessonKind.DID_NOT_WORK,
            "Falta un marco normativo para los microseguros; las IMF grandes ya tienen demasiados productos similares.",
        ),
    ]:
        services.lesson_record(
            innovation=inn, stage=Stage.PILOT, kind=kind, text=text, user=user, recorded_on=D(2011, 3, 31)
        )
    services.checklist_tick(innovation=inn, action="survey_members", done_on=D(2008, 9, 1), user=user)
    services.checklist_tick(innovation=inn, action="supply_demand_studies", done_on=D(2009, 2, 28), user=user)
    services.checklist_tick(innovation=inn, action="hire_experts", done_on=D(2009, 10, 31), user=user)
    services.checklist_tick(innovation=inn, action="share_pilot_learning", done_on=D(2010, 5, 31), user=user)
    # The semester report a donor receives (the worked example in docs/reporting.md), from seed 000.
    services.period_report_save(
        innovation=inn,
        year=2011,
        semester=1,
        user=user,
        progress=(
            "En marzo de 2011, 10 IMF ofrecían el microseguro a 51.000 clientes asegurados. La satisfacción de los "
            "clientes llegó al 87 % (meta: 90 %) y los reclamos se procesan en 5 días en la provincia de la aseguradora."
        ),
        progress_en=(
            "In March 2011, 10 MFIs offered the micro-insurance to 51,000 insured clients. Client satisfaction reached "
            "87% (target: 90%) and claims are processed within 5 days in the insurer's province."
        ),
        difficulties=(
            "La complejidad del mercadeo demoró el lanzamiento del piloto: la meta de 58.500 asegurados a fines de "
            "2010 no se alcanzó."
        ),
        difficulties_en=(
            "Complex marketing delayed the pilot's launch: the target of 58,500 insured clients by the end of 2010 "
            "was not reached."
        ),
        next_steps="Llegar a 13 IMF y 58.000 clientes; para fines de 2011, 80.000 clientes en 12 IMF.",
        next_steps_en="Reach 13 MFIs and 58,000 clients; by the end of 2011, 80,000 clients in 12 MFIs.",
    )


def rmc(user):
    inn = _new(
        user,
        "rmc-banca-sin-sucursales",
        title="Banca sin sucursales y protección al consumidor (RMC, Rusia)",
        summary=(
            "El Russian Microfinance Center estudió con CGAP el marco normativo de la banca sin sucursales (mayo de 2007); "
            "en 2009 el gobierno definió los agentes y subagentes de pago. El piloto de tarjetas de pago y prepago tuvo "
            "una adopción mínima por la crisis de 2008–09. Acompaña el eje transversal de políticas y regulación."
        ),
        title_en="Branchless banking and consumer protection (RMC, Russia)",
        summary_en=(
            "The Russian Microfinance Center studied branchless-banking regulation with CGAP (May 2007); in 2009 the government defined payment agents and sub-agents. The pilot of payment and prepaid cards saw minimal uptake because of the 2008–09 crisis. Part of the cross-cutting policy and regulation track."
        ),
        product_line=product_line("payments"),
        countries=["RU"],
        visibility=Visibility.PUBLIC,
        started_on=D(2007, 1, 15),
        status=InnovationStatus.ON_HOLD,
    )
    if inn is None:
        return
    _move(
        inn,
        user,
        [
            (
                Stage.DESIGN,
                D(2007, 5, 31),
                "Estudio de políticas con CGAP terminado: recomendaciones de protección al cliente.",
            ),
            (Stage.PILOT, D(2008, 6, 1), "Piloto de tarjetas de pago y prepago con cooperativas."),
            (Stage.EVALUATE, D(2009, 12, 1), "Adopción mínima por la crisis financiera: evaluar antes de seguir."),
        ],
    )
    _milestones(
        inn,
        user,
        [
            (
                "Estudio de políticas de banca sin sucursales con CGAP",
                Stage.IDENTIFY,
                D(2007, 1, 15),
                D(2007, 5, 31),
                D(2007, 5, 31),
            ),
            (
                "Marco normativo actualizado: agentes y subagentes de pago",
                Stage.DESIGN,
                None,
                D(2009, 6, 30),
                D(2009, 12, 1),
            ),
            ("Piloto de tarjetas de pago y prepago", Stage.PILOT, D(2008, 6, 1), D(2009, 6, 30), D(2009, 6, 30)),
        ],
    )
    services.contribution_record(
        innovation=inn,
        funder=funder("CGAP"),
        stage=Stage.IDENTIFY,
        user=user,
        description="Acuerdo técnico para el estudio de políticas",
    )
    services.contribution_record(
        innovation=inn, funder=funder("Russian Microfinance Center (RMC)"), stage=Stage.PILOT, user=user
    )
    for kind, text in [
        (
            LessonKind.DID_NOT_WORK,
            "La crisis de 2008–09 volvió cautos a consumidores e instituciones, que regresaron al efectivo: adopción mínima de las tarjetas.",
        ),
        (
            LessonKind.WORKED,
            "Capacitar al personal de las IMF para responder preguntas técnicas y educar al consumidor en el uso de las tarjetas.",
        ),
        (
            LessonKind.WORKED,
            "Tercerizar el apoyo técnico al Center for Financial Innovations: solución económica y asistencia completa a las cooperativas.",
        ),
    ]:
        services.lesson_record(
            innovation=inn, stage=Stage.PILOT, kind=kind, text=text, user=user, recorded_on=D(2009, 12, 1)
        )
    services.evaluation_answer_record(
        innovation=inn,
        question=EvaluationQuestion.SCALE_REACHED,
        user=user,
        answer="No: la adopción de las tarjetas durante el piloto fue mínima.",
    )
    services.evaluation_answer_record(
        innovation=inn,
        question=EvaluationQuestion.IMPACTS,
        user=user,
        answer="El principal impacto fue normativo: desde 2009 los bancos pueden contratar a las IMF como agentes.",
    )
    services.checklist_tick(innovation=inn, action="link_associations", done_on=D(2007, 5, 31), user=user)


def finca(user):
    inn = _new(
        user,
        "finca-peru-image",
        title="Modelo IMAGE adaptado para prevenir la violencia contra la mujer (FINCA Perú)",
        summary=(
            "FINCA Perú adaptó el modelo IMAGE (microfinanzas con capacitación en género) en sus bancos comunales: "
            "capacitación grupal, formación de líderes y movilización comunitaria, con evaluación de línea de base, "
            "seguimiento y final."
        ),
        title_en="IMAGE model adapted to prevent violence against women (FINCA Perú)",
        summary_en=(
            "FINCA Perú adapted the IMAGE model (microfinance with gender training) in its communal banks: group training, leadership training and community mobilisation, with baseline, follow-up and final evaluations."
        ),
        product_line=product_line("integrated-services"),
        countries=["PE"],
        visibility=Visibility.PUBLIC,
        started_on=D(2014, 6, 1),
        status=InnovationStatus.COMPLETED,
    )
    if inn is None:
        return
    _move(
        inn,
        user,
        [
            (Stage.DESIGN, D(2014, 7, 1), "Adaptación del modelo IMAGE a los bancos comunales."),
            (Stage.PILOT, D(2014, 9, 1), "Inicio de la capacitación grupal."),
            (Stage.EVALUATE, D(2016, 2, 29), "Fin de la movilización comunitaria; evaluación de proceso y costos."),
        ],
    )
    finca_mfi = institution("FINCA Perú", "PE", InstitutionType.NGO, illustrative=False)
    services.participation_add(
        innovation=inn, institution=finca_mfi, since=D(2014, 6, 1), stage=Stage.DESIGN, user=user
    )
    _indicator(
        inn,
        user,
        "Mujeres capacitadas en grupo",
        "count",
        counted=Counted.CLIENTS,
        name_en="Women trained in groups",
        aggregation="cumulative",
        measurements=[(D(2015, 4, 30), 1_001, FINCA)],
        order=1,
    )
    _indicator(
        inn,
        user,
        "Mujeres con 4 o más de las 7 sesiones",
        "count",
        counted=Counted.OTHER,
        name_en="Women attending 4 or more of the 7 sessions",
        aggregation="cumulative",
        measurements=[(D(2015, 4, 30), 705, FINCA)],
        order=2,
    )
    _indicator(
        inn,
        user,
        "Líderes formadas (6 talleres de 4 días)",
        "count",
        counted=Counted.PEOPLE,
        name_en="Leaders trained (6 four-day workshops)",
        aggregation="cumulative",
        measurements=[(D(2015, 6, 30), 145, FINCA)],
        order=3,
    )
    _indicator(
        inn,
        user,
        "Actividades de movilización comunitaria",
        "count",
        counted=Counted.OTHER,
        name_en="Community mobilisation activities",
        aggregation="cumulative",
        measurements=[(D(2016, 2, 29), 398, FINCA)],
        order=4,
    )
    _indicator(
        inn,
        user,
        "Personas alcanzadas por la movilización",
        "count",
        counted=Counted.PEOPLE,
        name_en="People reached by mobilisation",
        aggregation="cumulative",
        measurements=[(D(2016, 2, 29), 10_875, FINCA)],
        order=5,
    )
    _milestones(
        inn,
        user,
        [
            ("Evaluación de línea de base", Stage.DESIGN, None, D(2014, 8, 31), D(2014, 8, 31)),
            ("Capacitación grupal en bancos comunales", Stage.PILOT, D(2014, 9, 1), D(2015, 4, 30), D(2015, 4, 30)),
            ("Seis talleres de cuatro días para líderes", Stage.PILOT, D(2015, 5, 1), D(2015, 6, 30), D(2015, 6, 30)),
            ("Evaluación de seguimiento", Stage.PILOT, None, D(2015, 8, 31), D(2015, 8, 31)),
            ("Movilización comunitaria", Stage.PILOT, D(2015, 9, 1), D(2016, 2, 29), D(2016, 2, 29)),
            ("Evaluación de proceso y costos", Stage.EVALUATE, D(2016, 2, 1), D(2016, 7, 31), D(2016, 7, 31)),
            ("Evaluación final", Stage.EVALUATE, None, D(2016, 8, 31), D(2016, 8, 31)),
            ("Informe final", Stage.EVALUATE, None, D(2017, 2, 28), D(2017, 2, 28)),
        ],
    )
    services.contribution_record(innovation=inn, funder=funder("FINCA Perú"), stage=Stage.PILOT, user=user)
    services.lesson_record(
        innovation=inn,
        stage=Stage.PILOT,
        kind=LessonKind.WORKED,
        user=user,
        recorded_on=D(2015, 4, 30),
        text="El 70 % de las participantes (705 de 1.001) asistió a 4 o más de las 7 sesiones.",
    )
    services.checklist_tick(innovation=inn, action="impact_studies", done_on=D(2014, 8, 31), user=user)
    services.checklist_tick(innovation=inn, action="impact_systems", done_on=D(2016, 8, 31), user=user)
    services.checklist_tick(innovation=inn, action="document_process", done_on=D(2017, 2, 28), user=user)


def kgfs(user):
    inn = _new(
        user,
        "kgfs-india",
        title="Sucursales KGFS de cobertura total (India)",
        summary=(
            "Un caso a escala: las KGFS ofrecen gestión del patrimonio de los hogares desde sucursales que cubren toda "
            "una zona. A fines de 2011: 5 instituciones, 110 sucursales, US$10 millones de cartera y unos 200.000 "
            "clientes; más del 50 % de los hogares se inscribe dentro de los 18 meses de abierta la sucursal. Productos "
            "con tasas anuales (TPA) de 21 % a 24,6 %."
        ),
        title_en="Full-coverage KGFS branches (India)",
        summary_en=(
            "A case at scale: KGFS offer household wealth management from branches that cover a whole area. End of 2011: 5 institutions, 110 branches, a US$10 million portfolio and about 200,000 clients; over 50% of households enrol within 18 months of a branch opening. Products with APRs of 21% to 24.6%."
        ),
        product_line=product_line("household-finance"),
        countries=["IN"],
        visibility=Visibility.PUBLIC,
        started_on=D(2008, 1, 15),
    )
    if inn is None:
        return
    _move(
        inn,
        user,
        [
            (Stage.DESIGN, D(2008, 3, 1), "Modelo de gestión del patrimonio del hogar."),
            (Stage.PILOT, D(2008, 9, 1), "Primera sucursal: visitas a cada hogar de la zona."),
            (Stage.EVALUATE, D(2010, 1, 15), "Resultados de inscripción de los hogares revisados."),
            (Stage.SCALE, D(2010, 6, 1), "Expansión a 5 instituciones regionales."),
        ],
    )
    services.participation_add(
        innovation=inn,
        institution=institution("Pudhuaru KGFS", "IN", InstitutionType.NBFC, illustrative=False),
        since=D(2008, 9, 1),
        stage=Stage.PILOT,
        user=user,
    )
    _indicator(
        inn,
        user,
        "Clientes",
        "count",
        counted=Counted.CLIENTS,
        name_en="Clients",
        measurements=[(D(2011, 12, 31), 200_000, CGAP)],
        order=1,
    )
    _indicator(
        inn,
        user,
        "Sucursales",
        "count",
        counted=Counted.OTHER,
        name_en="Branches",
        measurements=[(D(2011, 12, 31), 110, CGAP)],
        order=2,
    )
    _indicator(
        inn,
        user,
        "Cartera",
        "money",
        name_en="Portfolio",
        currency="USD",
        measurements=[(D(2011, 12, 31), 10_000_000, CGAP)],
        order=3,
    )
    _indicator(
        inn,
        user,
        "Hogares inscritos a los 18 meses de abrir la sucursal",
        "percent",
        name_en="Households enrolled within 18 months of a branch opening",
        targets=[(Stage.SCALE, 50, D(2011, 12, 31))],
        measurements=[(D(2011, 12, 31), 50, CGAP + " (más del 50 %)")],
        order=4,
    )
    _milestones(
        inn,
        user,
        [("Visitas de localización a 2.000 hogares en Alakudi", Stage.PILOT, None, D(2008, 9, 30), D(2008, 9, 30))],
    )
    services.contribution_record(innovation=inn, funder=funder("IFMR Trust"), stage=Stage.SCALE, user=user)
    services.checklist_tick(innovation=inn, action="rollout_support", done_on=D(2011, 12, 31), user=user)


ILLUSTRATIVE_SOURCE = "Ilustrativo (demo) / Illustrative (demo)"


def _terms(innovation, user, rows) -> None:
    """The product variants of an innovation, when it has none yet (also over an older demo)."""
    if innovation is None or innovation.product_terms.exists():
        return
    for position, (name, name_en, values) in enumerate(rows, start=1):
        services.product_terms_save(
            innovation=innovation, user=user, position=position, name=name, name_en=name_en, **values
        )


def _ratios(name: str, rows) -> None:
    from portal.accounts.models import MemberInstitution

    from .models import InstitutionRatio

    mfi = MemberInstitution.objects.filter(name=name).first()
    if mfi is None:
        return
    for year, values in rows:
        InstitutionRatio.objects.get_or_create(
            institution=mfi, year=year, defaults={**values, "source": ILLUSTRATIVE_SOURCE}
        )


def _peer(country: str, line: str, band: str, apr: str) -> None:
    from .models import PeerAverage

    PeerAverage.objects.get_or_create(
        country=country,
        product_line=product_line(line),
        size_band=band,
        as_of=D(2011, 12, 31),
        defaults={"apr": Decimal(apr), "source": ILLUSTRATIVE_SOURCE},
    )


def pricing(user) -> None:
    """Responsible pricing (Standard 6C): KGFS's loans at their published APRs (CGAP 2012, seed 002),
    an illustrative loan sold with RFR's micro-insurance, and an illustrative communal-bank loan
    quoted flat whose APR is far higher than its 3 % a month suggests."""
    kgfs = Innovation.objects.filter(slug="kgfs-india").first()
    india = {"country": "IN", "currency": "INR", "method": "declining"}
    _terms(
        kgfs,
        user,
        [
            (
                "Préstamo a grupos de responsabilidad solidaria",
                "Joint-liability group loan",
                {
                    **india,
                    "amount": Decimal(15_000),
                    "term": 50,
                    "frequency": "weekly",
                    "rate": Decimal("0.4135"),
                    "note": "TPA 21,5 %; 50 cuotas semanales (CGAP 2012).",
                    "note_en": "APR 21.5%; 50 weekly instalments (CGAP 2012).",
                },
            ),
            (
                "Préstamo para empresas",
                "Enterprise loan",
                {
                    **india,
                    "amount": Decimal(50_000),
                    "term": 24,
                    "rate": Decimal("2.05"),
                    "size_band": "medium",
                    "note": "TPA 24,1 % a 24,6 % (CGAP 2012).",
                    "note_en": "APR 24.1% to 24.6% (CGAP 2012).",
                },
            ),
            (
                "Préstamo para educación",
                "Education loan",
                {
                    **india,
                    "amount": Decimal(25_000),
                    "term": 12,
                    "rate": Decimal("2"),
                    "note": "TPA 24 %; 12 cuotas mensuales (CGAP 2012).",
                    "note_en": "APR 24%; 12 monthly instalments (CGAP 2012).",
                },
            ),
            (
                "Préstamo para vivienda",
                "Housing loan",
                {
                    **india,
                    "amount": Decimal(100_000),
                    "term": 36,
                    "rate": Decimal("1.75"),
                    "size_band": "large",
                    "note": "TPA 21 %; hasta 36 cuotas mensuales (CGAP 2012).",
                    "note_en": "APR 21%; up to 36 monthly instalments (CGAP 2012).",
                },
            ),
        ],
    )
    _peer("IN", "household-finance", "small", "24")
    _peer("IN", "household-finance", "medium", "25")
    _peer("IN", "household-finance", "large", "22")
    _ratios(
        "Pudhuaru KGFS",
        [
            (2009, {"oss": Decimal(62)}),
            (2010, {"oss": Decimal(78)}),
            (2011, {"oss": Decimal(91), "loan_loss_expense": Decimal("1.2")}),
        ],
    )

    rfr = Innovation.objects.filter(slug="rfr-microseguros").first()
    _terms(
        rfr,
        user,
        [
            (
                "Crédito con microseguro simplificado",
                "Loan with the simplified micro-insurance",
                {
                    "country": "EC",
                    "currency": "USD",
                    "amount": Decimal(500),
                    "term": 12,
                    "method": "declining",
                    "rate": Decimal(2),
                    "periodic_insurance": Decimal("1.50"),
                    "illustrative": True,
                    "note": "Prima ilustrativa: las fuentes no publican la prima.",
                    "note_en": "Illustrative premium: the sources do not publish it.",
                },
            ),
        ],
    )
    _peer("EC", "micro-insurance", "small", "28")
    _ratios("IMF ilustrativa Ecuador 1", [(2010, {"claims_ratio": Decimal(24)})])
    _ratios("IMF ilustrativa Ecuador 2", [(2010, {"claims_ratio": Decimal(41)})])
    _ratios(
        "IMF ilustrativa Ecuador 3",
        [
            (2009, {"oss": Decimal(98)}),
            (2010, {"oss": Decimal(96)}),
            (2011, {"oss": Decimal(95), "return_on_assets": Decimal("2.1")}),
        ],
    )

    finca = Innovation.objects.filter(slug="finca-peru-image").first()
    _terms(
        finca,
        user,
        [
            (
                "Crédito de banca comunal",
                "Communal bank loan",
                {
                    "country": "PE",
                    "currency": "PEN",
                    "amount": Decimal(1000),
                    "term": 12,
                    "method": "flat",
                    "rate": Decimal(3),
                    "upfront_fee": Decimal(2),
                    "upfront_savings": Decimal(10),
                    "illustrative": True,
                    "note": "Préstamo ilustrativo: cotizado al 3 % mensual plano, con comisión y ahorro obligatorio.",
                    "note_en": "Illustrative loan: quoted at a flat 3% a month, with a fee and compulsory savings.",
                },
            ),
        ],
    )
    _peer("PE", "integrated-services", "small", "45")


@transaction.atomic
def _in_english() -> None:
    """Give the demo's Spanish texts their English versions (`demo_english.ENGLISH`) where
    none is set yet: on a fresh load and on a re-run over an older demo."""
    from portal.accounts.models import Funder
    from portal.cache import bump_version

    from .demo_english import ENGLISH
    from .models import Contribution, EvaluationAnswer, Lesson, Milestone, StageChange

    for model, field in (
        (Milestone, "title"),
        (Lesson, "text"),
        (StageChange, "rationale"),
        (Contribution, "description"),
        (EvaluationAnswer, "answer"),
        (Funder, "name"),
    ):
        english = f"{field}_en"
        rows = [row for row in model.objects.filter(**{english: ""}) if getattr(row, field) in ENGLISH]
        for row in rows:
            setattr(row, english, ENGLISH[getattr(row, field)])
        model.objects.bulk_update(rows, [english])
    bump_version()  # bulk updates send no signal: retire the cached pages that showed them


def load(stdout=None) -> None:
    for code, es, en in CRITERIA:
        SelectionCriterion.objects.update_or_create(code=code, defaults={"name_es": es, "name_en": en})
    staff = User.objects.get(username="staff")
    for case in (redcamif, rfr, rmc, finca, kgfs):
        case(staff)
    demo_reporting.load(staff)
    pricing(staff)
    _in_english()
    if stdout:
        stdout.write(f"Innovations: {Innovation.objects.count()} loaded.")
