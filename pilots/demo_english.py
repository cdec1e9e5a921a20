"""English versions of the demo's Spanish texts (milestones, stage decisions, lessons,
contributions, evaluation answers, funders): the demo cases read in both languages."""

ENGLISH = {
    # Milestones
    "Evaluación de proceso y costos": "Process and cost evaluation",
    "Evaluación de línea de base": "Baseline evaluation",
    "Evaluación final": "Final evaluation",
    "Visitas de localización a 2.000 hogares en Alakudi": "Locating visits to 2,000 households in Alakudi",
    "Informe final": "Final report",
    "Dos estudios de mercado de microseguros (HIVOS, RFR; apoyo técnico OIT)": (
        "Two micro-insurance market studies (HIVOS, RFR; ILO technical support)"
    ),
    "Estudio 3: selección de países piloto por entorno normativo": (
        "Study 3: choice of pilot countries by regulatory environment"
    ),
    "Seis talleres de cuatro días para líderes": "Six four-day workshops for leaders",
    "Estudio 2: viabilidad financiera de los productos": "Study 2: financial feasibility of the products",
    "Movilización comunitaria": "Community mobilisation",
    "Estudio de políticas de banca sin sucursales con CGAP": "Branchless banking policy study with CGAP",
    "Lanzamiento del piloto en 10 IMF": "Pilot launch in 10 MFIs",
    "Experiencia compartida en el boletín de la OIT": "Experience shared in the ILO newsletter",
    "Lanzamiento del piloto con 4 IMF": "Pilot launch with 4 MFIs",
    "Piloto de tarjetas de pago y prepago": "Payment and prepaid card pilot",
    "Concurso y selección de la aseguradora": "Tender and choice of the insurer",
    "Marco normativo actualizado: agentes y subagentes de pago": "Regulation updated: payment agents and sub-agents",
    "Evaluación externa por Pension and Development Network": "External evaluation by the Pension and Development Network",
    "Evaluación de seguimiento": "Follow-up evaluation",
    "Capacitación grupal en bancos comunales": "Group training in communal banks",
    "Estudio 1: demanda del mercado de micropensiones": "Study 1: market demand for micro-pensions",
    "58.500 clientes asegurados (fin de las tarifas favorables)": "58,500 insured clients (end of the favourable rates)",
    "80.000 clientes en 12 IMF": "80,000 clients in 12 MFIs",
    # Lessons learned
    "Tercerizar el apoyo técnico al Center for Financial Innovations: solución económica y asistencia completa a "
    "las cooperativas.": (
        "Outsourcing technical support to the Center for Financial Innovations: an affordable solution and full "
        "assistance to the cooperatives."
    ),
    "El 70 % de las participantes (705 de 1.001) asistió a 4 o más de las 7 sesiones.": (
        "70 % of the participants (705 of 1,001) attended 4 or more of the 7 sessions."
    ),
    "Falta un marco normativo para los microseguros; las IMF grandes ya tienen demasiados productos similares.": (
        "There is no regulatory framework for micro-insurance; large MFIs already have too many similar products."
    ),
    "La orientación social del producto y el material educativo para los clientes se complementan.": (
        "The product's social purpose and the educational material for clients complement each other."
    ),
    "Cumplir las normas de calidad y los tiempos de respuesta (reclamos en 5 días) posicionó a la RFR y aumentó "
    "los asegurados.": (
        "Meeting the quality standards and response times (claims in 5 days) positioned RFR and increased the "
        "number of insured."
    ),
    "La complejidad del mercadeo demoró el lanzamiento del piloto y redujo los ingresos proyectados.": (
        "The complexity of marketing delayed the pilot launch and reduced the projected income."
    ),
    "Capacitar al personal de las IMF para responder preguntas técnicas y educar al consumidor en el uso de las "
    "tarjetas.": ("Train MFI staff to answer technical questions and to teach consumers how to use the cards."),
    "La visión regional de la red permitió detectar la demanda de micropensiones y recaudar fondos para reducir "
    "el riesgo de cada IMF.": (
        "The network's regional view made it possible to detect the demand for micro-pensions and to raise funds "
        "that reduce each MFI's risk."
    ),
    "La crisis de 2008–09 volvió cautos a consumidores e instituciones, que regresaron al efectivo: adopción "
    "mínima de las tarjetas.": (
        "The 2008–09 crisis made consumers and institutions cautious and they went back to cash: minimal card adoption."
    ),
    # Stage decisions
    "El estudio de mercado de 2007 confirmó la demanda potencial (8,5 millones).": (
        "The 2007 market study confirmed the potential demand (8.5 million)."
    ),
    "Primera sucursal: visitas a cada hogar de la zona.": "First branch: visits to every household in the area.",
    "Piloto de tarjetas de pago y prepago con cooperativas.": "Payment and prepaid card pilot with cooperatives.",
    "Modelo de gestión del patrimonio del hogar.": "Household wealth management model.",
    "Estudio de políticas con CGAP terminado: recomendaciones de protección al cliente.": (
        "Policy study with CGAP finished: client protection recommendations."
    ),
    "Inicio de la capacitación grupal.": "Group training begins.",
    "Innovación registrada.": "Innovation registered.",
    "Expansión a 5 instituciones regionales.": "Expansion to 5 regional institutions.",
    "Adopción mínima por la crisis financiera: evaluar antes de seguir.": (
        "Minimal adoption because of the financial crisis: evaluate before going on."
    ),
    "Fin de la movilización comunitaria; evaluación de proceso y costos.": (
        "End of the community mobilisation; process and cost evaluation."
    ),
    "Investigación de mercado y pruebas de factibilidad terminadas en 2010.": (
        "Market research and feasibility tests finished in 2010."
    ),
    "Aseguradora elegida por concurso; cuatro IMF interesadas en el piloto.": (
        "Insurer chosen by tender; four MFIs interested in the pilot."
    ),
    "Resultados de inscripción de los hogares revisados.": "Household enrolment results reviewed.",
    "Adaptación del modelo IMAGE a los bancos comunales.": "The IMAGE model adapted to communal banks.",
    "Los dos estudios de mercado mostraron pólizas demasiado complejas para los microempresarios.": (
        "The two market studies showed policies too complex for micro-entrepreneurs."
    ),
    # Contributions
    "Estudios de mercado, viabilidad y selección de países": "Market and feasibility studies, choice of countries",
    "Estudios de mercado": "Market studies",
    "Apoyo técnico": "Technical support",
    "Costos del piloto compartidos con las IMF participantes": "Pilot costs shared with the participating MFIs",
    "Acuerdo técnico para el estudio de políticas": "Technical agreement for the policy study",
    "Materiales educativos y promocionales": "Educational and promotional materials",
    # Evaluation answers
    "El principal impacto fue normativo: desde 2009 los bancos pueden contratar a las IMF como agentes.": (
        "The main impact was regulatory: since 2009 banks may hire MFIs as agents."
    ),
    "No: la adopción de las tarjetas durante el piloto fue mínima.": "No: card adoption during the pilot was minimal.",
    # Funders (names that have an English form)
    "Red Financiera Rural (RFR)": "Rural Financial Network (RFR)",
    "Organización Internacional del Trabajo (OIT)": "International Labour Organization (ILO)",
    "Banco Interamericano de Desarrollo (BID)": "Inter-American Development Bank (IDB)",
    "Gran Ducado de Luxemburgo": "Grand Duchy of Luxembourg",
}
