<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>AcknowledgeDialog</name>
    <message>
        <source>Acknowledge the alert</source>
        <translation>Confirmar la alerta</translation>
    </message>
    <message>
        <source>What did you check? (e.g. photo and ID compared, supervisor informed)</source>
        <translation>¿Qué comprobó? (p. ej., foto e identificación comparadas, supervisor informado)</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Confirmar</translation>
    </message>
</context>
<context>
    <name>AlertBanner</name>
    <message>
        <source>Acknowledge…</source>
        <translation>Confirmar…</translation>
    </message>
    <message>
        <source>The FBI&apos;s answer</source>
        <translation>La respuesta del FBI</translation>
    </message>
    <message>
        <source>The immigration response</source>
        <translation>La respuesta de inmigración</translation>
    </message>
    <message>
        <source>The ICE detainer</source>
        <translation>La orden de retención de ICE</translation>
    </message>
    <message>
        <source>An answer</source>
        <translation>Una respuesta</translation>
    </message>
    <message>
        <source>name</source>
        <translation>nombre</translation>
    </message>
    <message>
        <source>date of birth</source>
        <translation>fecha de nacimiento</translation>
    </message>
    <message>
        <source>Possible wrong person</source>
        <translation>Posible persona equivocada</translation>
    </message>
    <message>
        <source>%1 names %2; this booking is %3. They differ in: %4.</source>
        <translation>%1 nombra a %2; este fichaje es de %3. Difieren en: %4.</translation>
    </message>
    <message>
        <source>Check the identity before acting on this answer, then acknowledge.</source>
        <translation>Compruebe la identidad antes de actuar según esta respuesta y luego confírmela.</translation>
    </message>
    <message>
        <source>Alert not acknowledged</source>
        <translation>Alerta no confirmada</translation>
    </message>
</context>
<context>
    <name>AnnotateDialog</name>
    <message>
        <source>Finger cannot be printed</source>
        <translation>Dedo que no se puede registrar</translation>
    </message>
    <message>
        <source>&amp;Finger</source>
        <translation>&amp;Dedo</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>&amp;Motivo</translation>
    </message>
    <message>
        <source>&amp;Amputated (XX)</source>
        <translation>&amp;Amputado (XX)</translation>
    </message>
    <message>
        <source>&amp;Unable to print (UP)</source>
        <translation>&amp;Imposible de registrar (UP)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Give a reason.</source>
        <translation>Indique un motivo.</translation>
    </message>
</context>
<context>
    <name>AnswerNotices</name>
    <message>
        <source>FBI answer</source>
        <translation>respuesta del FBI</translation>
    </message>
    <message>
        <source>FBI rejection (ERRT)</source>
        <translation>rechazo del FBI (ERRT)</translation>
    </message>
    <message>
        <source>immigration response</source>
        <translation>respuesta de inmigración</translation>
    </message>
    <message>
        <source>ICE detainer</source>
        <translation>orden de retención de ICE</translation>
    </message>
    <message>
        <source>detainer cancelled</source>
        <translation>orden de retención cancelada</translation>
    </message>
    <message>
        <source>{kind} for booking {number}</source>
        <translation>{kind} para el fichaje {number}</translation>
    </message>
    <message>
        <source>Arrived: {what}. F6 opens it.</source>
        <translation>Ha llegado: {what}. F6 la abre.</translation>
    </message>
    <message numerus="yes">
        <source>New answers: %n (F6)</source>
        <translation>
            <numerusform>Respuesta nueva: %n (F6)</numerusform>
            <numerusform>Respuestas nuevas: %n (F6)</numerusform>
        </translation>
    </message>
    <message>
        <source>Clear the list</source>
        <translation>Vaciar la lista</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>The database cannot be reached; retrying every few seconds. Nothing saved is lost. (%1)</source>
        <translation>No se puede conectar con la base de datos; se reintenta cada pocos segundos. No se pierde nada de lo guardado. (%1)</translation>
    </message>
    <message>
        <source>The database could not do the last action. (%1)</source>
        <translation>La base de datos no pudo realizar la última acción. (%1)</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <source>#</source>
        <translation>N.º</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Quién</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Qué</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Sobre</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>Filter by who, what or subject</source>
        <translation>Filtrar por quién, qué o sobre qué</translation>
    </message>
    <message>
        <source>&amp;Verify chain</source>
        <translation>&amp;Verificar cadena</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Audit log&lt;/h3&gt;Every change, newest first (last 500 shown).</source>
        <translation>&lt;h3&gt;Registro de auditoría&lt;/h3&gt;Cada cambio, el más reciente primero (se muestran los últimos 500).</translation>
    </message>
    <message>
        <source>Checking the chain…</source>
        <translation>Verificando la cadena…</translation>
    </message>
    <message>
        <source>TAMPERED at event %1: %2.</source>
        <translation>ALTERADA en el evento %1: %2.</translation>
    </message>
    <message>
        <source>The log was changed after %1.</source>
        <translation>El registro se modificó después del %1.</translation>
    </message>
    <message>
        <source>Intact: %1 events, every link checked.</source>
        <translation>Íntegra: %1 eventos, todos los enlaces verificados.</translation>
    </message>
    <message>
        <source>It matches the %1 heads anchored at the FBI/DHS backend (through event %2).</source>
        <translation>Coincide con las %1 cabezas de cadena ancladas en el backend del FBI/DHS (hasta el evento %2).</translation>
    </message>
    <message>
        <source>NOT checked against the backend&apos;s anchored heads: %1</source>
        <translation>NO verificada contra las cabezas de cadena ancladas en el backend: %1</translation>
    </message>
    <message>
        <source>The backend keeps no anchored head of this station yet (the first submission anchors one).</source>
        <translation>El backend aún no guarda ninguna cabeza de cadena anclada de esta estación (el primer envío ancla una).</translation>
    </message>
    <message>
        <source>Could not check the chain: %1</source>
        <translation>No se pudo verificar la cadena: %1</translation>
    </message>
</context>
<context>
    <name>BookingDetailsPage</name>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>Save (Ctrl+S or Enter)</source>
        <translation>Guardar (Ctrl+S o Intro)</translation>
    </message>
    <message numerus="yes">
        <source>Not saved: %n field(s) to correct.</source>
        <translation>
            <numerusform>No se guardó: hay %n campo por corregir.</numerusform>
            <numerusform>No se guardó: hay %n campos por corregir.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not saved: the database could not be written (%1). What you typed is still here; save again.</source>
        <translation>No se guardó: no se pudo escribir en la base de datos (%1). Lo que escribió sigue aquí; vuelva a guardar.</translation>
    </message>
    <message>
        <source>Booking %1 saved at %2.</source>
        <translation>Fichaje %1 guardado a las %2.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Guardando…</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>No se guardó: %1</translation>
    </message>
    <message>
        <source>the database cannot be reached. Check the network cable; if it is in, tell the administrator the database server is not answering.</source>
        <translation>no se puede conectar con la base de datos. Revise el cable de red; si está conectado, avise al administrador de que el servidor de la base de datos no responde.</translation>
    </message>
    <message>
        <source>the database is busy: another program held it for more than %1 s. Wait a moment.</source>
        <translation>la base de datos está ocupada: otro programa la retuvo más de %1 s. Espere un momento.</translation>
    </message>
    <message>
        <source>the database&apos;s disk is full. Tell the administrator.</source>
        <translation>el disco de la base de datos está lleno. Avise al administrador.</translation>
    </message>
    <message>
        <source>the database cannot be written (read-only file or folder). Tell the administrator.</source>
        <translation>no se puede escribir en la base de datos (archivo o carpeta de solo lectura). Avise al administrador.</translation>
    </message>
    <message>
        <source>the database did not answer within %1 s.</source>
        <translation>la base de datos no respondió en %1 s.</translation>
    </message>
    <message>
        <source>the database reported an error.</source>
        <translation>la base de datos informó de un error.</translation>
    </message>
    <message>
        <source>Not saved: %1 What you typed is still here; save again when it is fixed.</source>
        <translation>No se guardó: %1 Lo que escribió sigue aquí; vuelva a guardar cuando se haya corregido.</translation>
    </message>
    <message>
        <source>Database %1: %2</source>
        <translation>Base de datos %1: %2</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Cambios sin guardar</translation>
    </message>
    <message>
        <source>This booking has changes that are not saved. Save them now?</source>
        <translation>Este fichaje tiene cambios sin guardar. ¿Desea guardarlos ahora?</translation>
    </message>
</context>
<context>
    <name>BookingFormWidget</name>
    <message>
        <source>&amp;Surname</source>
        <translation>&amp;Apellidos</translation>
    </message>
    <message>
        <source>&amp;Given names</source>
        <translation>&amp;Nombres</translation>
    </message>
    <message>
        <source>Date of &amp;birth</source>
        <translation>Fec&amp;ha de nacimiento</translation>
    </message>
    <message>
        <source>Se&amp;x</source>
        <translation>Se&amp;xo</translation>
    </message>
    <message>
        <source>&amp;Race</source>
        <translation>&amp;Raza</translation>
    </message>
    <message>
        <source>&amp;Place of birth</source>
        <translation>&amp;Lugar de nacimiento</translation>
    </message>
    <message>
        <source>&amp;Height</source>
        <translation>&amp;Estatura</translation>
    </message>
    <message>
        <source>&amp;Weight (lb)</source>
        <translation>&amp;Peso (lb)</translation>
    </message>
    <message>
        <source>&amp;Eyes</source>
        <translation>&amp;Ojos</translation>
    </message>
    <message>
        <source>H&amp;air</source>
        <translation>&amp;Cabello</translation>
    </message>
    <message>
        <source>&amp;Date of arrest</source>
        <translation>Fecha de arres&amp;to</translation>
    </message>
    <message>
        <source>as on the ID, any script</source>
        <translation>como en la identificación, en cualquier alfabeto</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>AAAA-MM-DD</translation>
    </message>
    <message>
        <source>e.g. 5&apos;10&quot;</source>
        <translation>p. ej., 5&apos;10&quot;</translation>
    </message>
    <message>
        <source>e.g. 170</source>
        <translation>p. ej., 170</translation>
    </message>
    <message>
        <source>Add &amp;charge</source>
        <translation>Agregar car&amp;go</translation>
    </message>
    <message>
        <source>&lt;b&gt;Charges&lt;/b&gt; (offense date, charge, level)</source>
        <translation>&lt;b&gt;Cargos&lt;/b&gt; (fecha del delito, cargo, gravedad)</translation>
    </message>
</context>
<context>
    <name>BookingPages</name>
    <message>
        <source>Details</source>
        <translation>Datos</translation>
    </message>
    <message>
        <source>Capture</source>
        <translation>Captura</translation>
    </message>
    <message>
        <source>Responses</source>
        <translation>Respuestas</translation>
    </message>
    <message>
        <source>Detainer</source>
        <translation>Orden de retención</translation>
    </message>
</context>
<context>
    <name>BookingStatus</name>
    <message>
        <source>Draft</source>
        <translation>Borrador</translation>
    </message>
    <message>
        <source>Captured</source>
        <translation>Capturado</translation>
    </message>
    <message>
        <source>Waiting to be sent</source>
        <translation>En espera de envío</translation>
    </message>
    <message>
        <source>Sent, awaiting answer</source>
        <translation>Enviado, en espera de respuesta</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Respondido</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Rechazado</translation>
    </message>
    <message>
        <source>Detainer</source>
        <translation>Orden de retención</translation>
    </message>
</context>
<context>
    <name>BookingView</name>
    <message>
        <source>← Bookings (Esc)</source>
        <translation>← Fichajes (Esc)</translation>
    </message>
    <message>
        <source>This page could not be opened; see the log for details.</source>
        <translation>No se pudo abrir esta página; consulte el registro para ver los detalles.</translation>
    </message>
    <message>
        <source>New booking</source>
        <translation>Nuevo fichaje</translation>
    </message>
</context>
<context>
    <name>BookingsList</name>
    <message>
        <source>name</source>
        <translation>nombre</translation>
    </message>
    <message>
        <source>date of birth</source>
        <translation>fecha de nacimiento</translation>
    </message>
    <message>
        <source>wrong person?</source>
        <translation>¿persona equivocada?</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Alerta</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Respuesta</translation>
    </message>
    <message>
        <source>Detainer</source>
        <translation>Orden de retención</translation>
    </message>
    <message>
        <source>releasable time not recorded</source>
        <translation>hora de liberación sin registrar</translation>
    </message>
    <message>
        <source>LAPSED %1</source>
        <translation>VENCIDA %1</translation>
    </message>
    <message>
        <source>ends %1 · %2 left</source>
        <translation>vence %1 · quedan %2</translation>
    </message>
</context>
<context>
    <name>BookingsModel</name>
    <message>
        <source>Booking</source>
        <translation>Fichaje</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Fecha de nacimiento</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Booked at</source>
        <translation>Fichado el</translation>
    </message>
</context>
<context>
    <name>BookingsPage</name>
    <message>
        <source>Search by name or booking number (Ctrl+F)</source>
        <translation>Buscar por nombre o número de fichaje (Ctrl+F)</translation>
    </message>
    <message>
        <source>&amp;Today only</source>
        <translation>Solo &amp;hoy</translation>
    </message>
    <message>
        <source>&amp;New booking (Ctrl+N)</source>
        <translation>&amp;Nuevo fichaje (Ctrl+N)</translation>
    </message>
    <message>
        <source>today</source>
        <translation>hoy</translation>
    </message>
    <message>
        <source>in all</source>
        <translation>en total</translation>
    </message>
    <message numerus="yes">
        <source>%n booking(s)</source>
        <translation>
            <numerusform>%n fichaje</numerusform>
            <numerusform>%n fichajes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CapturePage</name>
    <message>
        <source>Place the RIGHT four fingers flat on the platen</source>
        <translation>Coloque los cuatro dedos de la mano DERECHA planos sobre el escáner</translation>
    </message>
    <message>
        <source>Place the LEFT four fingers flat on the platen</source>
        <translation>Coloque los cuatro dedos de la mano IZQUIERDA planos sobre el escáner</translation>
    </message>
    <message>
        <source>Place BOTH thumbs flat on the platen</source>
        <translation>Coloque AMBOS pulgares planos sobre el escáner</translation>
    </message>
    <message>
        <source>Roll the %1 nail edge to nail edge</source>
        <translation>Ruede el %1 de un borde de la uña al otro</translation>
    </message>
    <message>
        <source>Lift the fingers</source>
        <translation>Levante los dedos</translation>
    </message>
    <message>
        <source>Press harder</source>
        <translation>Presione con más fuerza</translation>
    </message>
    <message>
        <source>Press more lightly</source>
        <translation>Presione con menos fuerza</translation>
    </message>
    <message>
        <source>Centre the finger(s) on the platen</source>
        <translation>Centre los dedos sobre el escáner</translation>
    </message>
    <message numerus="yes">
        <source>%n finger(s) expected</source>
        <translation>
            <numerusform>se espera %n dedo</numerusform>
            <numerusform>se esperan %n dedos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n seen</source>
        <translation>
            <numerusform>%n detectado</numerusform>
            <numerusform>%n detectados</numerusform>
        </translation>
    </message>
    <message>
        <source>Hold still…</source>
        <translation>No se mueva…</translation>
    </message>
    <message>
        <source>Loading the prints…</source>
        <translation>Cargando las huellas…</translation>
    </message>
    <message>
        <source>The prints could not be loaded: %1</source>
        <translation>No se pudieron cargar las huellas: %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Clean the platen&lt;/b&gt;&lt;br&gt;Residue of earlier prints is on the scanner glass (marked in red). Wipe it with a lint-free cloth, then capture again.</source>
        <translation>&lt;b&gt;Limpie el cristal del escáner&lt;/b&gt;&lt;br&gt;Hay restos de huellas anteriores en el cristal (marcados en rojo). Límpielo con un paño que no suelte pelusa y vuelva a capturar.</translation>
    </message>
    <message>
        <source>Capture now (Space)</source>
        <translation>Capturar ahora (Espacio)</translation>
    </message>
    <message>
        <source>Start capture</source>
        <translation>Iniciar captura</translation>
    </message>
    <message>
        <source>Reconnect scanner</source>
        <translation>Reconectar escáner</translation>
    </message>
    <message>
        <source>Supervisor override…</source>
        <translation>Autorización del supervisor…</translation>
    </message>
    <message>
        <source>&lt;b&gt;Legend&lt;/b&gt;: grey to do · green captured (quality) · yellow kept below threshold · orange retake · dark XX amputated · grey UP unable to print · blue skipped by supervisor</source>
        <translation>&lt;b&gt;Leyenda&lt;/b&gt;: gris pendiente · verde capturada (calidad) · amarillo conservada bajo el umbral · naranja repetir · oscuro XX amputado · gris UP imposible de registrar · azul omitida por el supervisor</translation>
    </message>
    <message>
        <source>&lt;b&gt;Capture plan&lt;/b&gt;: %1</source>
        <translation>&lt;b&gt;Plan de captura&lt;/b&gt;: %1</translation>
    </message>
    <message>
        <source>Capture running</source>
        <translation>Captura en curso</translation>
    </message>
    <message>
        <source>Finish or cancel the capture first.</source>
        <translation>Primero termine o cancele la captura.</translation>
    </message>
    <message>
        <source>%1. Use a livescan that can, or a supervisor may override this step.</source>
        <translation>%1. Use un escáner de huellas que pueda hacerlo, o un supervisor puede omitir este paso.</translation>
    </message>
    <message>
        <source>%1 — press Start capture to try again.</source>
        <translation>%1. Pulse Iniciar captura para intentarlo de nuevo.</translation>
    </message>
    <message>
        <source>%1: retake — %2</source>
        <translation>%1: repetir — %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Connecting to the scanner…</source>
        <translation>Conectando con el escáner…</translation>
    </message>
    <message>
        <source>This scanner cannot take this print</source>
        <translation>Este escáner no puede tomar esta huella</translation>
    </message>
    <message>
        <source>Checking quality…</source>
        <translation>Verificando la calidad…</translation>
    </message>
    <message>
        <source>%1 accepted — quality %2</source>
        <translation>%1: captura aceptada — calidad %2</translation>
    </message>
    <message>
        <source>Scanner disconnected</source>
        <translation>Escáner desconectado</translation>
    </message>
    <message>
        <source>&amp;Finger cannot be printed (XX / UP)…</source>
        <translation>&amp;Dedo que no se puede registrar (XX / UP)…</translation>
    </message>
    <message>
        <source>Review all prints (Ctrl+R) →</source>
        <translation>Revisar todas las huellas (Ctrl+R) →</translation>
    </message>
    <message>
        <source>subject %1</source>
        <translation>sujeto %1</translation>
    </message>
    <message>
        <source>subject %1, not chosen</source>
        <translation>sujeto %1, sin elegir</translation>
    </message>
    <message>
        <source>Waiting for the scanner: the booking closed last is still ending its capture.</source>
        <translation>Esperando al escáner: el último fichaje cerrado aún está terminando su captura.</translation>
    </message>
    <message>
        <source>Waiting for the scanner…</source>
        <translation>Esperando al escáner…</translation>
    </message>
    <message>
        <source>The scanner asks for this print again</source>
        <translation>El escáner pide tomar esta huella de nuevo</translation>
    </message>
    <message>
        <source>Scanner disconnected. Everything accepted so far is saved. Reconnect it, then press Reconnect scanner.</source>
        <translation>Escáner desconectado. Todo lo aceptado hasta ahora está guardado. Vuelva a conectarlo y pulse Reconectar escáner.</translation>
    </message>
    <message>
        <source>residue</source>
        <translation>restos</translation>
    </message>
    <message>
        <source>All prints taken</source>
        <translation>Todas las huellas tomadas</translation>
    </message>
    <message>
        <source>Review them and submit.</source>
        <translation>Revíselas y envíelas.</translation>
    </message>
    <message>
        <source>Attempt %1 of %2 · state: %3</source>
        <translation>Intento %1 de %2 · estado: %3</translation>
    </message>
    <message>
        <source>capturing</source>
        <translation>capturando</translation>
    </message>
    <message>
        <source>not printed (XX/UP)</source>
        <translation>no registrada (XX/UP)</translation>
    </message>
    <message>
        <source>Quality (threshold %1)</source>
        <translation>Calidad (umbral %1)</translation>
    </message>
    <message>
        <source>Cannot annotate</source>
        <translation>No se puede anotar</translation>
    </message>
    <message>
        <source>Accept “%1” as it is</source>
        <translation>Aceptar «%1» tal como está</translation>
    </message>
</context>
<context>
    <name>CaptureText</name>
    <message>
        <source>right thumb</source>
        <translation>pulgar derecho</translation>
    </message>
    <message>
        <source>right index</source>
        <translation>índice derecho</translation>
    </message>
    <message>
        <source>right middle</source>
        <translation>medio derecho</translation>
    </message>
    <message>
        <source>right ring</source>
        <translation>anular derecho</translation>
    </message>
    <message>
        <source>right little</source>
        <translation>meñique derecho</translation>
    </message>
    <message>
        <source>left thumb</source>
        <translation>pulgar izquierdo</translation>
    </message>
    <message>
        <source>left index</source>
        <translation>índice izquierdo</translation>
    </message>
    <message>
        <source>left middle</source>
        <translation>medio izquierdo</translation>
    </message>
    <message>
        <source>left ring</source>
        <translation>anular izquierdo</translation>
    </message>
    <message>
        <source>left little</source>
        <translation>meñique izquierdo</translation>
    </message>
    <message>
        <source>right four fingers</source>
        <translation>cuatro dedos derechos</translation>
    </message>
    <message>
        <source>left four fingers</source>
        <translation>cuatro dedos izquierdos</translation>
    </message>
    <message>
        <source>both thumbs</source>
        <translation>ambos pulgares</translation>
    </message>
    <message>
        <source>to do</source>
        <translation>pendiente</translation>
    </message>
    <message>
        <source>captured</source>
        <translation>capturada</translation>
    </message>
    <message>
        <source>low quality</source>
        <translation>baja calidad</translation>
    </message>
    <message>
        <source>retake</source>
        <translation>repetir</translation>
    </message>
    <message>
        <source>amputated</source>
        <translation>amputado</translation>
    </message>
    <message>
        <source>unable to print</source>
        <translation>imposible de registrar</translation>
    </message>
    <message>
        <source>skipped by supervisor</source>
        <translation>omitida por el supervisor</translation>
    </message>
    <message>
        <source>%1 (rolled)</source>
        <translation>%1 (rodado)</translation>
    </message>
</context>
<context>
    <name>ChangePasswordPage</name>
    <message>
        <source>at least %1 characters</source>
        <translation>al menos %1 caracteres</translation>
    </message>
    <message>
        <source>&amp;Change password</source>
        <translation>&amp;Cambiar contraseña</translation>
    </message>
    <message>
        <source>Log &amp;out</source>
        <translation>Cerrar &amp;sesión</translation>
    </message>
    <message>
        <source>C&amp;urrent password</source>
        <translation>Contraseña &amp;actual</translation>
    </message>
    <message>
        <source>&amp;New password</source>
        <translation>&amp;Nueva contraseña</translation>
    </message>
    <message>
        <source>&amp;Repeat new password</source>
        <translation>&amp;Repita la nueva contraseña</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Choose a new password&lt;/h2&gt;%1, your password is more than 90 days old. Choose a new one: at least %2 characters, not a common password, word or name, not your user name and none of your last ten.</source>
        <translation>&lt;h2&gt;Elija una contraseña nueva&lt;/h2&gt;%1, su contraseña tiene más de 90 días. Elija una nueva: al menos %2 caracteres, que no sea una contraseña común, una palabra ni un nombre, ni su nombre de usuario ni ninguna de las diez últimas.</translation>
    </message>
    <message>
        <source>The two new passwords differ.</source>
        <translation>Las dos contraseñas nuevas no coinciden.</translation>
    </message>
</context>
<context>
    <name>DetainerIndicator</name>
    <message>
        <source>Detainer %1 (booking %2): the hold has LAPSED; record what was done.</source>
        <translation>Orden de retención %1 (fichaje %2): la retención VENCIÓ; registre lo que se hizo.</translation>
    </message>
    <message>
        <source>Detainer %1 (booking %2): %3 h left in the hold.</source>
        <translation>Orden de retención %1 (fichaje %2): quedan %3 h de retención.</translation>
    </message>
    <message>
        <source>Detainers: %1 · next hold ends %2 (%3)</source>
        <translation>Órdenes de retención: %1 · la próxima vence %2 (%3)</translation>
    </message>
</context>
<context>
    <name>DetainerPage</name>
    <message>
        <source>No immigration detainer has been received for this booking.</source>
        <translation>No se ha recibido ninguna orden de retención de inmigración para este fichaje.</translation>
    </message>
    <message>
        <source>YYYY-MM-DD HH:MM, jail time</source>
        <translation>AAAA-MM-DD HH:MM, hora de la cárcel</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Ahora</translation>
    </message>
    <message>
        <source>&amp;Record releasable time</source>
        <translation>&amp;Registrar hora de liberación</translation>
    </message>
    <message>
        <source>Releasable at:</source>
        <translation>Hora de liberación:</translation>
    </message>
    <message>
        <source>Hold ends:</source>
        <translation>La retención vence:</translation>
    </message>
    <message>
        <source>Time left:</source>
        <translation>Tiempo restante:</translation>
    </message>
    <message>
        <source>Says they are a U.S. citizen</source>
        <translation>Dice ser ciudadano(a) de EE. UU.</translation>
    </message>
    <message>
        <source>Says they are the victim of a crime</source>
        <translation>Dice ser víctima de un delito</translation>
    </message>
    <message>
        <source>Choose the claim…</source>
        <translation>Elija la reclamación…</translation>
    </message>
    <message>
        <source>What the person said, in their words</source>
        <translation>Lo que dijo la persona, en sus palabras</translation>
    </message>
    <message>
        <source>Record &amp;claim</source>
        <translation>Registrar re&amp;clamación</translation>
    </message>
    <message>
        <source>Claims to ICE (U.S. citizen or crime victim)</source>
        <translation>Reclamaciones ante ICE (ciudadano de EE. UU. o víctima de un delito)</translation>
    </message>
    <message>
        <source>Released</source>
        <translation>Liberado</translation>
    </message>
    <message>
        <source>Transferred to ICE custody</source>
        <translation>Transferido a la custodia de ICE</translation>
    </message>
    <message>
        <source>Detainer cancelled</source>
        <translation>Orden de retención cancelada</translation>
    </message>
    <message>
        <source>Choose what was done…</source>
        <translation>Elija lo que se hizo…</translation>
    </message>
    <message>
        <source>note (optional)</source>
        <translation>nota (opcional)</translation>
    </message>
    <message>
        <source>Record &amp;outcome</source>
        <translation>Registrar resultad&amp;o</translation>
    </message>
    <message>
        <source>What was done</source>
        <translation>Lo que se hizo</translation>
    </message>
    <message>
        <source>The hold&apos;s clock keeps running until ICE withdraws the detainer.</source>
        <translation>El conteo de la retención sigue corriendo hasta que ICE retire la orden.</translation>
    </message>
    <message>
        <source>No claim recorded.</source>
        <translation>No se ha registrado ninguna reclamación.</translation>
    </message>
    <message>
        <source>%1, recorded %2 by %3: “%4”</source>
        <translation>%1, registrado el %2 por %3: «%4»</translation>
    </message>
    <message>
        <source>ICE&apos;s system refused it (%1): call the Law Enforcement Support Center, (855) 448-6903.</source>
        <translation>El sistema de ICE la rechazó (%1): llame al Centro de Apoyo a las Fuerzas del Orden (LESC), (855) 448-6903.</translation>
    </message>
    <message>
        <source>ICE has it under review.</source>
        <translation>ICE la está revisando.</translation>
    </message>
    <message>
        <source>Waiting to be sent to ICE (%1 attempt(s)).</source>
        <translation>En espera de envío a ICE (intentos: %1).</translation>
    </message>
    <message>
        <source>Still to give through an interpreter: %1.</source>
        <translation>Falta darla mediante intérprete en: %1.</translation>
    </message>
    <message>
        <source>Service complete.</source>
        <translation>Entrega completa.</translation>
    </message>
    <message>
        <source>Copy made: record how it was handed over.</source>
        <translation>Copia hecha: registre cómo se entregó.</translation>
    </message>
    <message>
        <source>Save the copy in (named after the booking number and the language)</source>
        <translation>Guardar la copia en (con el número de fichaje y el idioma como nombre)</translation>
    </message>
    <message>
        <source>Find a language by its own name, e.g. Tiếng Việt</source>
        <translation>Buscar idioma, p. ej., Tiếng Việt</translation>
    </message>
    <message>
        <source>Choose a language to preview the copy.</source>
        <translation>Elija un idioma para ver la vista previa de la copia.</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>&amp;Imprimir…</translation>
    </message>
    <message>
        <source>48-hour hold</source>
        <translation>Retención de 48 horas</translation>
    </message>
    <message>
        <source>Not counted:</source>
        <translation>No cuentan:</translation>
    </message>
    <message>
        <source>&amp;Save PDF…</source>
        <translation>&amp;Guardar PDF…</translation>
    </message>
    <message>
        <source>How was it given?</source>
        <translation>¿Cómo se entregó?</translation>
    </message>
    <message>
        <source>Interpreter&apos;s name or ID number</source>
        <translation>Nombre o número de identificación del intérprete</translation>
    </message>
    <message>
        <source>Record &amp;hand-over</source>
        <translation>Registrar &amp;entrega</translation>
    </message>
    <message>
        <source>Hand-over</source>
        <translation>Entrega</translation>
    </message>
    <message>
        <source>Copy, given in:</source>
        <translation>Copia, dada en:</translation>
    </message>
    <message>
        <source>How:</source>
        <translation>Cómo:</translation>
    </message>
    <message>
        <source>The detainee&apos;s copy (their language beside English)</source>
        <translation>La copia del detenido (en su idioma, junto al inglés)</translation>
    </message>
    <message>
        <source>Saturdays, Sundays, Federal holidays and %1 state holidays (this agency&apos;s setting; the detainer form counts Federal holidays only)</source>
        <translation>Sábados, domingos, festivos federales y festivos estatales de %1 (configuración de esta agencia; el formulario de la orden solo excluye los festivos federales)</translation>
    </message>
    <message>
        <source>Saturdays, Sundays and Federal holidays (the detainer form&apos;s rule)</source>
        <translation>Sábados, domingos y festivos federales (la regla del formulario de la orden)</translation>
    </message>
    <message>
        <source>This agency receives immigration responses; ICE detainers arrive with them.</source>
        <translation>Esta agencia recibe respuestas de inmigración; las órdenes de retención de ICE llegan con ellas.</translation>
    </message>
    <message>
        <source>This agency has declined immigration responses (no IAR is received), but ICE detainers are still delivered to the jail and must be handled here.</source>
        <translation>Esta agencia no recibe respuestas de inmigración (no llega ningún IAR), pero las órdenes de retención de ICE se siguen entregando a la cárcel y deben tramitarse aquí.</translation>
    </message>
    <message>
        <source>Detainer %1 lodged %2 by %3. Languages on the detainer: %4.</source>
        <translation>Orden de retención %1 emitida el %2 por %3. Idiomas de la orden: %4.</translation>
    </message>
    <message>
        <source>No written copy in: %1. An interpreter must give the notice in each (in person or by telephone); record it under Hand-over with the interpreter&apos;s name or ID number.</source>
        <translation>No hay copia escrita en: %1. Un intérprete debe dar el aviso en cada uno (en persona o por teléfono); regístrelo en Entrega con el nombre o número de identificación del intérprete.</translation>
    </message>
    <message>
        <source>%1 at %2. %3</source>
        <translation>%1 el %2. %3</translation>
    </message>
    <message>
        <source>Record the releasable time first: the copy states the deadline.</source>
        <translation>Primero registre la hora de liberación: la copia indica el plazo.</translation>
    </message>
    <message>
        <source>The copy has not been served yet.</source>
        <translation>La copia todavía no se ha entregado.</translation>
    </message>
    <message>
        <source>printed</source>
        <translation>impresa</translation>
    </message>
    <message>
        <source>saved</source>
        <translation>guardada</translation>
    </message>
    <message>
        <source>%1 (handed over)</source>
        <translation>%1 (entregada)</translation>
    </message>
    <message>
        <source>%1 in %2, %3 by %4 (SHA-256 %5…)</source>
        <translation>%1 en %2, %3 por %4 (SHA-256 %5…)</translation>
    </message>
    <message>
        <source>Interpreter: %1.</source>
        <translation>Intérprete: %1.</translation>
    </message>
    <message>
        <source>%1 (interpreter)</source>
        <translation>%1 (intérprete)</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>cerrada</translation>
    </message>
    <message>
        <source>Record when the person becomes releasable to start the clock.</source>
        <translation>Registre cuándo la persona puede ser liberada para iniciar el conteo.</translation>
    </message>
    <message>
        <source>The hold authority under this detainer LAPSED at %1. The jail may not keep holding this person on the detainer. Record what was done.</source>
        <translation>La autoridad de retención de esta orden VENCIÓ el %1. La cárcel no puede seguir reteniendo a esta persona por esta orden. Registre lo que se hizo.</translation>
    </message>
    <message>
        <source>Less than %1 h left: the hold ends %2.</source>
        <translation>Quedan menos de %1 h: la retención vence el %2.</translation>
    </message>
    <message>
        <source>Clock running.</source>
        <translation>Conteo en curso.</translation>
    </message>
    <message>
        <source>Enter the %1 as YYYY-MM-DD HH:MM.</source>
        <translation>Ingrese la %1 como AAAA-MM-DD HH:MM.</translation>
    </message>
    <message>
        <source>releasable time</source>
        <translation>hora de liberación</translation>
    </message>
    <message>
        <source>Releasable time</source>
        <translation>Hora de liberación</translation>
    </message>
    <message>
        <source>time of the outcome</source>
        <translation>hora del resultado</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Claim</source>
        <translation>Reclamación</translation>
    </message>
    <message>
        <source>Drawing the copy…</source>
        <translation>Generando la copia…</translation>
    </message>
    <message>
        <source>Choose the detainee&apos;s language first.</source>
        <translation>Primero elija el idioma del detenido.</translation>
    </message>
    <message>
        <source>Save PDF</source>
        <translation>Guardar PDF</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>Imprimir</translation>
    </message>
    <message>
        <source>The printer could not be opened.</source>
        <translation>No se pudo abrir la impresora.</translation>
    </message>
    <message>
        <source>The printer did not accept the job.</source>
        <translation>La impresora no aceptó el trabajo.</translation>
    </message>
    <message>
        <source>Handed to the person</source>
        <translation>Entregada a la persona</translation>
    </message>
    <message>
        <source>Read by an interpreter in person</source>
        <translation>Leída por un intérprete en persona</translation>
    </message>
    <message>
        <source>Read by an interpreter by telephone</source>
        <translation>Leída por un intérprete por teléfono</translation>
    </message>
    <message>
        <source>Offered; the person refused it</source>
        <translation>Ofrecida; la persona la rechazó</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Rechazada</translation>
    </message>
    <message>
        <source>ICE WITHDREW the detainer %1: %2</source>
        <translation>ICE RETIRÓ la orden de retención el %1: %2</translation>
    </message>
    <message>
        <source>ICE refused the claim %1: %2. The detainer stands.</source>
        <translation>ICE rechazó la reclamación el %1: %2. La orden de retención sigue vigente.</translation>
    </message>
    <message>
        <source>ICE has not decided (%1): %2. The detainer stands meanwhile.</source>
        <translation>ICE no ha decidido (%1): %2. Mientras tanto, la orden de retención sigue vigente.</translation>
    </message>
</context>
<context>
    <name>DiagnosticsPage</name>
    <message>
        <source>Scanners</source>
        <translation>Escáneres</translation>
    </message>
    <message>
        <source>&lt;b&gt;Scanners&lt;/b&gt; (updates when one is plugged in or removed)</source>
        <translation>&lt;b&gt;Escáneres&lt;/b&gt; (se actualiza al conectar o retirar uno)</translation>
    </message>
    <message>
        <source>No preview</source>
        <translation>Sin vista previa</translation>
    </message>
    <message>
        <source>Capture to file</source>
        <translation>Capturar a un archivo</translation>
    </message>
    <message>
        <source>Images (*.png *.tif *.tiff *.bmp)</source>
        <translation>Imágenes (*.png *.tif *.tiff *.bmp)</translation>
    </message>
    <message>
        <source>Place a finger on the scanner.</source>
        <translation>Coloque un dedo sobre el escáner.</translation>
    </message>
    <message>
        <source>Record USB traffic</source>
        <translation>Grabar el tráfico USB</translation>
    </message>
    <message>
        <source>Recordings (*.json)</source>
        <translation>Grabaciones (*.json)</translation>
    </message>
    <message numerus="yes">
        <source>Recording: place a finger on the scanner for each of %n print(s).</source>
        <translation>
            <numerusform>Grabando: coloque un dedo sobre el escáner para %n huella.</numerusform>
            <numerusform>Grabando: coloque un dedo sobre el escáner para cada una de las %n huellas.</numerusform>
        </translation>
    </message>
    <message>
        <source>Frame rate –  ·  latency –  ·  finger –</source>
        <translation>Cuadros –  ·  latencia –  ·  dedo –</translation>
    </message>
    <message>
        <source>Start preview</source>
        <translation>Iniciar vista previa</translation>
    </message>
    <message>
        <source>prints: </source>
        <translation>huellas: </translation>
    </message>
    <message>
        <source>Run conformance</source>
        <translation>Ejecutar conformidad</translation>
    </message>
    <message>
        <source>Capture to file…</source>
        <translation>Capturar a un archivo…</translation>
    </message>
    <message>
        <source>Take one print and save it as a PNG, TIFF or BMP image</source>
        <translation>Tomar una huella y guardarla como imagen PNG, TIFF o BMP</translation>
    </message>
    <message>
        <source>Record USB traffic…</source>
        <translation>Grabar el tráfico USB…</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Prueba</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>Valor</translation>
    </message>
    <message>
        <source>Requirement</source>
        <translation>Requisito</translation>
    </message>
    <message>
        <source>driver %1 · serial %2</source>
        <translation>controlador %1 · n.º de serie %2</translation>
    </message>
    <message>
        <source>%1 was removed.</source>
        <translation>Se retiró %1.</translation>
    </message>
    <message>
        <source>Stop preview</source>
        <translation>Detener vista previa</translation>
    </message>
    <message>
        <source>Record every USB transfer of the captures to a file that tests can replay</source>
        <translation>Grabar cada transferencia USB de las capturas en un archivo que las pruebas pueden reproducir</translation>
    </message>
    <message>
        <source>Only a USB scanner&apos;s traffic can be recorded; %1 is not one</source>
        <translation>Solo se puede grabar el tráfico de un escáner USB; %1 no lo es</translation>
    </message>
    <message>
        <source>Place a finger on the scanner for each print.</source>
        <translation>Coloque un dedo en el escáner para cada huella.</translation>
    </message>
    <message>
        <source>Frame rate –  ·  latency –  ·  finger %1</source>
        <translation>Cuadros –  ·  latencia –  ·  dedo %1</translation>
    </message>
    <message>
        <source>Saved: %1</source>
        <translation>Guardado: %1</translation>
    </message>
    <message>
        <source>Frame rate %1/s (last second)  ·  latency %2  ·  finger %3  ·  %4 frames</source>
        <translation>Cuadros %1/s (último segundo)  ·  latencia %2  ·  dedo %3  ·  %4 cuadros</translation>
    </message>
    <message>
        <source>Nothing saved: %1</source>
        <translation>No se guardó nada: %1</translation>
    </message>
    <message>
        <source>PASS</source>
        <translation>APROBADA</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>FALLIDA</translation>
    </message>
    <message>
        <source>Conformance: %1 of %2 checks passed.</source>
        <translation>Conformidad: %1 de %2 pruebas aprobadas.</translation>
    </message>
    <message>
        <source>Scanner problem: %1</source>
        <translation>Problema del escáner: %1</translation>
    </message>
</context>
<context>
    <name>ErrorCode</name>
    <message>
        <source>Mandatory field missing</source>
        <translation>Falta un campo obligatorio</translation>
    </message>
    <message>
        <source>Value not in the code table</source>
        <translation>Valor que no está en la tabla de códigos</translation>
    </message>
    <message>
        <source>Value has the wrong format</source>
        <translation>Valor con formato incorrecto</translation>
    </message>
    <message>
        <source>Invalid or impossible date</source>
        <translation>Fecha no válida o imposible</translation>
    </message>
    <message>
        <source>Fingerprint set incomplete or duplicated</source>
        <translation>Juego de huellas incompleto o duplicado</translation>
    </message>
    <message>
        <source>Image cannot be decoded or does not match its header</source>
        <translation>La imagen no se puede decodificar o no coincide con su encabezado</translation>
    </message>
    <message>
        <source>Image quality too low to search</source>
        <translation>Calidad de imagen demasiado baja para la búsqueda</translation>
    </message>
    <message>
        <source>Transaction type not accepted</source>
        <translation>Tipo de transacción no aceptado</translation>
    </message>
    <message>
        <source>Fingerprints out of sequence</source>
        <translation>Huellas fuera de secuencia</translation>
    </message>
    <message>
        <source>Transaction cannot be parsed</source>
        <translation>La transacción no se puede leer</translation>
    </message>
    <message>
        <source>Value out of range</source>
        <translation>Valor fuera de rango</translation>
    </message>
    <message>
        <source>Logical record not allowed in this transaction, or too many or too few of them</source>
        <translation>Registro lógico no permitido en esta transacción, o demasiados o muy pocos</translation>
    </message>
    <message>
        <source>Submitting station not authorised for this ORI</source>
        <translation>La estación que envía no está autorizada para este ORI</translation>
    </message>
    <message>
        <source>Internal error at the receiving service; submit again</source>
        <translation>Error interno del servicio receptor; envíe de nuevo</translation>
    </message>
</context>
<context>
    <name>EyeColorCode</name>
    <message>
        <source>Black</source>
        <translation>Negros</translation>
    </message>
    <message>
        <source>Blue</source>
        <translation>Azules</translation>
    </message>
    <message>
        <source>Brown</source>
        <translation>Cafés</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>Verdes</translation>
    </message>
    <message>
        <source>Gray</source>
        <translation>Grises</translation>
    </message>
    <message>
        <source>Hazel</source>
        <translation>Color avellana</translation>
    </message>
    <message>
        <source>Maroon</source>
        <translation>Granates</translation>
    </message>
    <message>
        <source>Multicolored</source>
        <translation>Multicolores</translation>
    </message>
    <message>
        <source>Pink</source>
        <translation>Rosados</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Desconocido</translation>
    </message>
</context>
<context>
    <name>FieldText</name>
    <message>
        <source>surname</source>
        <translation>los apellidos</translation>
    </message>
    <message>
        <source>given names</source>
        <translation>los nombres</translation>
    </message>
    <message>
        <source>date of birth</source>
        <translation>la fecha de nacimiento</translation>
    </message>
    <message>
        <source>sex</source>
        <translation>el sexo</translation>
    </message>
    <message>
        <source>race</source>
        <translation>la raza</translation>
    </message>
    <message>
        <source>place of birth</source>
        <translation>el lugar de nacimiento</translation>
    </message>
    <message>
        <source>eye colour</source>
        <translation>el color de ojos</translation>
    </message>
    <message>
        <source>hair colour</source>
        <translation>el color de cabello</translation>
    </message>
    <message>
        <source>date of arrest</source>
        <translation>la fecha de arresto</translation>
    </message>
    <message>
        <source>offense date</source>
        <translation>la fecha del delito</translation>
    </message>
    <message>
        <source>name</source>
        <translation>nombre</translation>
    </message>
    <message>
        <source>height</source>
        <translation>estatura</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>peso</translation>
    </message>
    <message>
        <source>charges</source>
        <translation>cargos</translation>
    </message>
</context>
<context>
    <name>FirstRunPage</name>
    <message>
        <source>&lt;h2&gt;Welcome&lt;/h2&gt;This station has no accounts yet. Create the first supervisor: supervisors change settings, read the audit log and add accounts for clerks.</source>
        <translation>&lt;h2&gt;Bienvenido&lt;/h2&gt;Esta estación todavía no tiene cuentas. Cree el primer supervisor: los supervisores cambian la configuración, leen el registro de auditoría y agregan cuentas para los empleados de fichaje.</translation>
    </message>
    <message>
        <source>at least %1 characters, not a common one</source>
        <translation>al menos %1 caracteres, que no sea una contraseña común</translation>
    </message>
    <message>
        <source>&amp;Create supervisor</source>
        <translation>&amp;Crear supervisor</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>Nombre de &amp;usuario</translation>
    </message>
    <message>
        <source>&amp;Full name</source>
        <translation>Nombre co&amp;mpleto</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>Con&amp;traseña</translation>
    </message>
    <message>
        <source>&amp;Repeat password</source>
        <translation>&amp;Repetir contraseña</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Las dos contraseñas no coinciden.</translation>
    </message>
</context>
<context>
    <name>HairColorCode</name>
    <message>
        <source>Bald</source>
        <translation>Calvo</translation>
    </message>
    <message>
        <source>Black</source>
        <translation>Negro</translation>
    </message>
    <message>
        <source>Blond or strawberry</source>
        <translation>Rubio o rubio rojizo</translation>
    </message>
    <message>
        <source>Blue</source>
        <translation>Azul</translation>
    </message>
    <message>
        <source>Brown</source>
        <translation>Castaño</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>Verde</translation>
    </message>
    <message>
        <source>Gray or partially gray</source>
        <translation>Canoso o entrecano</translation>
    </message>
    <message>
        <source>Orange</source>
        <translation>Anaranjado</translation>
    </message>
    <message>
        <source>Purple</source>
        <translation>Morado</translation>
    </message>
    <message>
        <source>Pink</source>
        <translation>Rosado</translation>
    </message>
    <message>
        <source>Red or auburn</source>
        <translation>Pelirrojo o caoba</translation>
    </message>
    <message>
        <source>Sandy</source>
        <translation>Rubio oscuro</translation>
    </message>
    <message>
        <source>White</source>
        <translation>Blanco</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Desconocido</translation>
    </message>
</context>
<context>
    <name>HandDiagram</name>
    <message>
        <source>Click a finger, a slap or the thumbs to capture it</source>
        <translation>Haga clic en un dedo, una mano o los pulgares para capturarlos</translation>
    </message>
    <message>
        <source>LEFT hand</source>
        <translation>Mano IZQUIERDA</translation>
    </message>
    <message>
        <source>RIGHT hand</source>
        <translation>Mano DERECHA</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>&amp;Unlock</source>
        <extracomment>(who typed the right password, the operator whose session was locked)</extracomment>
        <translation>&amp;Desbloquear</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>Nombre de &amp;usuario</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>Con&amp;traseña</translation>
    </message>
    <message>
        <source>after %1 minutes without input</source>
        <translation>tras %1 minutos sin actividad</translation>
    </message>
    <message>
        <source>on request</source>
        <translation>a petición</translation>
    </message>
    <message>
        <source>&lt;h2&gt;This station is locked&lt;/h2&gt;Locked at %1 %2. %3 can unlock it with their password; a supervisor can log in instead.</source>
        <translation>&lt;h2&gt;Esta estación está bloqueada&lt;/h2&gt;Bloqueada a las %1 %2. %3 puede desbloquearla con su contraseña; un supervisor puede iniciar sesión en su lugar.</translation>
    </message>
    <message>
        <source>Enter the user name and password.</source>
        <translation>Escriba el nombre de usuario y la contraseña.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Comprobando…</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>Nombre de usuario o contraseña incorrectos.</translation>
    </message>
    <message>
        <source>Only %1 or a supervisor can unlock this station.</source>
        <translation>Solo %1 o un supervisor pueden desbloquear esta estación.</translation>
    </message>
    <message>
        <source>Could not unlock: %1</source>
        <translation>No se pudo desbloquear: %1</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <source>&lt;h2&gt;Booking Station&lt;/h2&gt;%1</source>
        <translation>&lt;h2&gt;Estación de fichaje&lt;/h2&gt;%1</translation>
    </message>
    <message>
        <source>&amp;Log in</source>
        <translation>&amp;Iniciar sesión</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>Nombre de &amp;usuario</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>Con&amp;traseña</translation>
    </message>
    <message>
        <source>Enter your user name and password.</source>
        <translation>Ingrese su nombre de usuario y contraseña.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Verificando…</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>Nombre de usuario o contraseña incorrectos.</translation>
    </message>
    <message>
        <source>Could not log in: %1</source>
        <translation>No se pudo iniciar sesión: %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Booking Station — %1</source>
        <translation>Estación de fichaje — %1</translation>
    </message>
    <message>
        <source>Navigation</source>
        <translation>Navegación</translation>
    </message>
    <message>
        <source>Bookings (F2)</source>
        <translation>Fichajes (F2)</translation>
    </message>
    <message>
        <source>New booking (Ctrl+N)</source>
        <translation>Nuevo fichaje (Ctrl+N)</translation>
    </message>
    <message>
        <source>Scanners (F7)</source>
        <translation>Escáneres (F7)</translation>
    </message>
    <message>
        <source>Operators (F8)</source>
        <translation>Operadores (F8)</translation>
    </message>
    <message>
        <source>Audit log (F9)</source>
        <translation>Auditoría (F9)</translation>
    </message>
    <message>
        <source>Reports (F10)</source>
        <translation>Informes (F10)</translation>
    </message>
    <message>
        <source>Settings (Ctrl+,)</source>
        <translation>Configuración (Ctrl+,)</translation>
    </message>
    <message>
        <source>Lock (Ctrl+Shift+L)</source>
        <translation>Bloquear (Ctrl+Mayús+L)</translation>
    </message>
    <message>
        <source>Log out (Ctrl+L)</source>
        <translation>Cerrar sesión (Ctrl+L)</translation>
    </message>
    <message>
        <source>%1 (%2) · %3 %4</source>
        <translation>%1 (%2) · %3 %4</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>enter the {field}</source>
        <translation>ingrese {field}</translation>
    </message>
    <message>
        <source>no commas in the {field} (the comma separates surname and given names)</source>
        <translation>no use comas en {field} (la coma separa los apellidos de los nombres)</translation>
    </message>
    <message>
        <source>the {field} may hold letters of any script, spaces, - &apos; and ., not {value}</source>
        <translation>{field} admite letras de cualquier alfabeto, espacios, - &apos; y ., no {value}</translation>
    </message>
    <message>
        <source>the {field} needs at least one letter</source>
        <translation>{field} debe tener al menos una letra</translation>
    </message>
    <message>
        <source>the {field} must be a date like 1990-07-31 or 07/31/1990, not {value}</source>
        <translation>{field} debe ser una fecha como 1990-07-31 o 07/31/1990, no {value}</translation>
    </message>
    <message>
        <source>the {field} has no month {number}: months are 1 to 12</source>
        <translation>{field}: no existe el mes {number}; los meses van del 1 al 12</translation>
    </message>
    <message>
        <source>the {field} has no day {day}: {month} {year} has {days} days</source>
        <translation>{field}: no existe el día {day}; {month} de {year} tiene {days} días</translation>
    </message>
    <message>
        <source>choose the {field}</source>
        <translation>elija {field}</translation>
    </message>
    <message>
        <source>{value} is not a {field} code</source>
        <translation>{value} no es un código válido para {field}</translation>
    </message>
    <message>
        <source>enter the height, e.g. 5&apos;10&quot;</source>
        <translation>ingrese la estatura, p. ej., 5&apos;10&quot;</translation>
    </message>
    <message>
        <source>height as feet and inches, e.g. 5&apos;10&quot; or 510, not {value}</source>
        <translation>estatura en pies y pulgadas, p. ej., 5&apos;10&quot; o 510, no {value}</translation>
    </message>
    <message>
        <source>inches must be 0 to 11, not {value}</source>
        <translation>las pulgadas deben ser de 0 a 11, no {value}</translation>
    </message>
    <message>
        <source>height must be from {low} to {high} (EBTS)</source>
        <translation>la estatura debe ser de {low} a {high} (EBTS)</translation>
    </message>
    <message>
        <source>enter the weight in pounds</source>
        <translation>ingrese el peso en libras</translation>
    </message>
    <message>
        <source>weight in whole pounds, e.g. 170, not {value}</source>
        <translation>peso en libras enteras, p. ej., 170, no {value}</translation>
    </message>
    <message>
        <source>weight must be from {low} to {high} pounds (EBTS)</source>
        <translation>el peso debe ser de {low} a {high} libras (EBTS)</translation>
    </message>
    <message>
        <source>surname and given names together are {length} characters; EBTS allows {limit}</source>
        <translation>los apellidos y los nombres juntos tienen {length} caracteres; EBTS admite {limit}</translation>
    </message>
    <message>
        <source>the date of arrest cannot be in the future</source>
        <translation>la fecha de arresto no puede ser futura</translation>
    </message>
    <message>
        <source>the date of birth cannot be in the future</source>
        <translation>la fecha de nacimiento no puede ser futura</translation>
    </message>
    <message>
        <source>the date of birth is more than {years} years ago</source>
        <translation>la fecha de nacimiento es de hace más de {years} años</translation>
    </message>
    <message>
        <source>the date of birth is after the date of arrest</source>
        <translation>la fecha de nacimiento es posterior a la fecha de arresto</translation>
    </message>
    <message>
        <source>enter at least one charge</source>
        <translation>ingrese al menos un cargo</translation>
    </message>
    <message>
        <source>the offense date cannot be in the future</source>
        <translation>la fecha del delito no puede ser futura</translation>
    </message>
    <message>
        <source>the offense date is after the date of arrest</source>
        <translation>la fecha del delito es posterior a la fecha de arresto</translation>
    </message>
    <message>
        <source>describe the charge</source>
        <translation>describa el cargo</translation>
    </message>
    <message>
        <source>at most {limit} characters (now {length})</source>
        <translation>como máximo {limit} caracteres (ahora {length})</translation>
    </message>
    <message>
        <source>choose felony or misdemeanor</source>
        <translation>elija delito grave o delito menor</translation>
    </message>
    <message>
        <source>not sent yet ({attempts} attempt(s)), retrying</source>
        <translation>sin enviar (intentos: {attempts}), reintentando</translation>
    </message>
    <message>
        <source>refused by the backend</source>
        <translation>rechazado por el servidor</translation>
    </message>
    <message>
        <source>ICE detainer</source>
        <translation>orden de retención de ICE</translation>
    </message>
    <message>
        <source>immigration response</source>
        <translation>respuesta de inmigración</translation>
    </message>
    <message>
        <source>corrected, resubmitted</source>
        <translation>corregido, reenviado</translation>
    </message>
    <message>
        <source>rejected: {count} error(s) to fix</source>
        <translation>rechazado: errores por corregir: {count}</translation>
    </message>
    <message>
        <source>identified, FBI {fbi}</source>
        <translation>identificado, FBI {fbi}</translation>
    </message>
    <message>
        <source>no FBI record</source>
        <translation>sin antecedentes en el FBI</translation>
    </message>
    <message>
        <source>found {found} finger(s) where {expected} were expected</source>
        <translation>se encontraron {found} dedo(s) donde se esperaban {expected}</translation>
    </message>
    <message>
        <source>quality below {threshold}: {qualities}</source>
        <translation>calidad inferior a {threshold}: {qualities}</translation>
    </message>
    <message>
        <source>clean the platen: residue of earlier prints beside the finger(s)</source>
        <translation>limpie el cristal del escáner: hay restos de huellas anteriores junto a los dedos</translation>
    </message>
    <message>
        <source>best of {attempts} attempts kept (attempt {attempt}): {problem}</source>
        <translation>se conserva la mejor de {attempts} capturas (intento {attempt}): {problem}</translation>
    </message>
    <message>
        <source>{fingers} not found</source>
        <translation>no se encontró: {fingers}</translation>
    </message>
    <message>
        <source>attempt {attempt} kept; it passes today&apos;s threshold</source>
        <translation>se conserva el intento {attempt}; supera el umbral actual</translation>
    </message>
    <message>
        <source>supervisor override: {reason}</source>
        <translation>aceptada por el supervisor: {reason}</translation>
    </message>
    <message>
        <source>all fingers annotated</source>
        <translation>todos los dedos anotados</translation>
    </message>
    <message>
        <source>the {position} is not part of this capture plan</source>
        <translation>{position}: no forma parte de este plan de captura</translation>
    </message>
    <message>
        <source>a {mode} capture is not part of this capture plan</source>
        <translation>una captura «{mode}» no forma parte de este plan de captura</translation>
    </message>
    <message>
        <source>a rolled capture holds one finger, not {count}</source>
        <translation>una captura rodada contiene un dedo, no {count}</translation>
    </message>
    <message>
        <source>the annotation must be XX (amputated) or UP (unable to print), not {code}</source>
        <translation>la anotación debe ser XX (amputado) o UP (imposible de registrar), no {code}</translation>
    </message>
    <message>
        <source>only fingers 1–10 can be annotated, not position {value}</source>
        <translation>solo se pueden anotar los dedos 1–10, no la posición {value}</translation>
    </message>
    <message>
        <source>give a reason for marking the {finger} {code}</source>
        <translation>indique un motivo para marcar el {finger} como {code}</translation>
    </message>
    <message>
        <source>give a reason for the override</source>
        <translation>indique un motivo para la autorización</translation>
    </message>
    <message>
        <source>give a reason for overriding the sequence check</source>
        <translation>indique un motivo para pasar por alto la verificación de secuencia</translation>
    </message>
    <message>
        <source>{name} is not a supervisor: an override needs a supervisor</source>
        <translation>{name} no es supervisor: la autorización requiere un supervisor</translation>
    </message>
    <message>
        <source>not a supervisor&apos;s name and password</source>
        <translation>no son el nombre y la contraseña de un supervisor</translation>
    </message>
    <message>
        <source>the scanner returned an image that is not 8-bit grayscale</source>
        <translation>el escáner devolvió una imagen que no es en escala de grises de 8 bits</translation>
    </message>
    <message>
        <source>the captured image could not be stored as PNG</source>
        <translation>la imagen capturada no se pudo guardar como PNG</translation>
    </message>
    <message>
        <source>the check stopped because its worker process ended unexpectedly; try again</source>
        <translation>la comprobación se detuvo porque su proceso de trabajo terminó de forma inesperada; inténtelo de nuevo</translation>
    </message>
    <message>
        <source>{step}: {state}</source>
        <translation>{step}: {state}</translation>
    </message>
    <message>
        <source>the sequence check has not been run</source>
        <translation>la verificación de secuencia no se ha ejecutado</translation>
    </message>
    <message>
        <source>the sequence check found nothing that needs an override</source>
        <translation>la verificación de secuencia no encontró nada que requiera autorización</translation>
    </message>
    <message>
        <source>sequence: {finding}</source>
        <translation>secuencia: {finding}</translation>
    </message>
    <message>
        <source>the prints cannot be submitted yet: {blockers}</source>
        <translation>las huellas aún no se pueden enviar: {blockers}</translation>
    </message>
    <message>
        <source>the prints are complete and saved, but could not be queued: {detail}</source>
        <translation>las huellas están completas y guardadas, pero no se pudieron poner en cola: {detail}</translation>
    </message>
    <message>
        <source>prints complete; queued for submission ({tcn})</source>
        <translation>huellas completas; en cola para el envío ({tcn})</translation>
    </message>
    <message>
        <source>tenprint: right slap, left slap, both thumbs, then ten rolled prints</source>
        <translation>decadactilar: cuatro dedos derechos, cuatro dedos izquierdos, ambos pulgares y luego diez huellas rodadas</translation>
    </message>
    <message>
        <source>flats only (4-4-2): right slap, left slap and both thumbs, no rolled prints</source>
        <translation>solo planas (4-4-2): cuatro dedos derechos, cuatro dedos izquierdos y ambos pulgares, sin huellas rodadas</translation>
    </message>
    <message>
        <source>rolled {first} and {second} appear swapped</source>
        <translation>el {first} y el {second} rodados parecen intercambiados</translation>
    </message>
    <message>
        <source>rolled prints of the {hand} hand match the other hand&apos;s flat fingers ({fingers}): wrong hand rolled</source>
        <translation>las huellas rodadas de la mano {hand} coinciden con los dedos planos de la otra mano ({fingers}): se rodó la mano equivocada</translation>
    </message>
    <message>
        <source>rolled {first} and {second} are the same finger captured twice</source>
        <translation>el {first} y el {second} rodados son el mismo dedo capturado dos veces</translation>
    </message>
    <message>
        <source>rolled {finger} matches the flat {other}, not its own</source>
        <translation>el {finger} rodado coincide con el {other} plano, no con el suyo</translation>
    </message>
    <message>
        <source>rolled {finger} could not be confirmed against its flat finger</source>
        <translation>el {finger} rodado no se pudo confirmar con su dedo plano</translation>
    </message>
    <message>
        <source>rolled {fingers} match none of the slap fingers: the slaps and the rolled prints may be of different people; retake them, or a supervisor overrides with a reason</source>
        <translation>los dedos rodados ({fingers}) no coinciden con ningún dedo plano: las huellas planas y las rodadas pueden ser de personas distintas; tómelas de nuevo o un supervisor lo autoriza con un motivo</translation>
    </message>
    <message>
        <source>write what you checked before acknowledging the alert</source>
        <translation>escriba qué comprobó antes de confirmar la alerta</translation>
    </message>
    <message>
        <source>the note is {length} characters; at most {limit}</source>
        <translation>la nota tiene {length} caracteres; como máximo {limit}</translation>
    </message>
    <message>
        <source>this alert no longer exists</source>
        <translation>esta alerta ya no existe</translation>
    </message>
    <message>
        <source>the alert was already acknowledged by {who}</source>
        <translation>la alerta ya fue confirmada por {who}</translation>
    </message>
    <message>
        <source>sequence confirmed for {count} finger(s)</source>
        <translation>secuencia confirmada para {count} dedo(s)</translation>
    </message>
    <message>
        <source>the sequence check could not run</source>
        <translation>la verificación de secuencia no se pudo ejecutar</translation>
    </message>
    <message>
        <source>no scanner is connected</source>
        <translation>no hay ningún escáner conectado</translation>
    </message>
    <message>
        <source>the scanner could not be opened: {detail}</source>
        <translation>no se pudo abrir el escáner: {detail}</translation>
    </message>
    <message>
        <source>the capture failed: {detail}</source>
        <translation>la captura falló: {detail}</translation>
    </message>
    <message>
        <source>scanner disconnected: {detail}</source>
        <translation>escáner desconectado: {detail}</translation>
    </message>
    <message>
        <source>{device} cannot take {mode} captures</source>
        <translation>{device} no puede tomar capturas «{mode}»</translation>
    </message>
    <message>
        <source>the capture did not finish within {seconds} s</source>
        <translation>la captura no terminó en {seconds} s</translation>
    </message>
    <message>
        <source>detainer {id} does not exist</source>
        <translation>la orden de retención {id} no existe</translation>
    </message>
    <message>
        <source>a claim is that the person is a U.S. citizen or a crime victim, not {value}</source>
        <translation>una reclamación es que la persona es ciudadana de EE. UU. o víctima de un delito, no {value}</translation>
    </message>
    <message>
        <source>write down what the person said</source>
        <translation>escriba lo que dijo la persona</translation>
    </message>
    <message>
        <source>what the person said is at most {limit} characters (now {length})</source>
        <translation>lo que dijo la persona admite como máximo {limit} caracteres (ahora {length})</translation>
    </message>
    <message>
        <source>detainer {detainer} is closed: a claim can no longer change it</source>
        <translation>la orden de retención {detainer} está cerrada: una reclamación ya no puede cambiarla</translation>
    </message>
    <message>
        <source>this claim is already recorded for detainer {detainer}; tell the ICE Law Enforcement Support Center anything more by telephone</source>
        <translation>esta reclamación ya está registrada para la orden de retención {detainer}; comunique cualquier otro dato al Centro de Apoyo a las Fuerzas del Orden de ICE por teléfono</translation>
    </message>
    <message>
        <source>record how the copy was given (handed over, read by an interpreter, or refused), not {value}</source>
        <translation>registre cómo se dio la copia (entregada, leída por un intérprete o rechazada), no {value}</translation>
    </message>
    <message>
        <source>enter the interpreter&apos;s name or ID number</source>
        <translation>ingrese el nombre o número de identificación del intérprete</translation>
    </message>
    <message>
        <source>the interpreter&apos;s name or ID number is at most {limit} characters</source>
        <translation>el nombre o número de identificación del intérprete admite como máximo {limit} caracteres</translation>
    </message>
    <message>
        <source>copy {id} was not made for this detainer</source>
        <translation>la copia {id} no se hizo para esta orden de retención</translation>
    </message>
    <message>
        <source>{language} is not a language of this detainer</source>
        <translation>{language} no es un idioma de esta orden de retención</translation>
    </message>
    <message>
        <source>{language} has no written copy: an interpreter must give the notice in it</source>
        <translation>{language} no tiene copia escrita: un intérprete debe dar el aviso en ese idioma</translation>
    </message>
    <message>
        <source>booking {id} does not exist</source>
        <translation>el fichaje {id} no existe</translation>
    </message>
    <message>
        <source>booking {booking} already has a submission that is not answered yet ({tcn})</source>
        <translation>el fichaje {booking} ya tiene un envío sin respuesta todavía ({tcn})</translation>
    </message>
    <message>
        <source>the certificate files do not work: {problem}</source>
        <translation>los archivos de certificado no sirven: {problem}</translation>
    </message>
    <message>
        <source>submission {tcn} is not waiting to be sent</source>
        <translation>el envío {tcn} no está esperando a ser enviado</translation>
    </message>
    <message>
        <source>or</source>
        <translation>o</translation>
    </message>
    <message>
        <source>the folder does not exist</source>
        <translation>la carpeta no existe</translation>
    </message>
    <message>
        <source>no permission to write there</source>
        <translation>sin permiso para escribir ahí</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>el disco está lleno</translation>
    </message>
    <message>
        <source>a read or write error</source>
        <translation>un error de lectura o escritura</translation>
    </message>
    <message>
        <source>a system error</source>
        <translation>un error del sistema</translation>
    </message>
    <message>
        <source>the backend sent an answer of a kind this station does not know ({kind}); it is kept as received</source>
        <translation>el servidor envió una respuesta de un tipo que esta estación no conoce ({kind}); se guarda tal como llegó</translation>
    </message>
    <message>
        <source>the {kind} answer cannot be read ({error}); it is kept as received</source>
        <translation>la respuesta {kind} no se puede leer ({error}); se guarda tal como llegó</translation>
    </message>
    <message>
        <source>the capture could not be judged (technical detail: {detail})</source>
        <translation>no se pudo evaluar la captura (detalle técnico: {detail})</translation>
    </message>
    <message>
        <source>the copy was not saved as {path}: {os_error} (technical detail: {detail})</source>
        <translation>la copia no se guardó como {path}: {os_error} (detalle técnico: {detail})</translation>
    </message>
    <message>
        <source>the submission for booking {booking} cannot be built (technical detail: {detail})</source>
        <translation>no se puede preparar el envío del fichaje {booking} (detalle técnico: {detail})</translation>
    </message>
    <message>
        <source>the stored image of the {step} cannot be read</source>
        <translation>no se puede leer la imagen guardada de {step}</translation>
    </message>
    <message>
        <source>booking {booking} has no accepted prints to submit</source>
        <translation>el fichaje {booking} no tiene huellas aceptadas para enviar</translation>
    </message>
    <message>
        <source>the {tot} has no Type-2 record: no one to book</source>
        <translation>la transacción {tot} no tiene registro de tipo 2: no hay nadie a quien fichar</translation>
    </message>
    <message>
        <source>the file&apos;s Type-2 record does not make a booking: {problems}</source>
        <translation>el registro de tipo 2 del archivo no forma un fichaje: {problems}</translation>
    </message>
    <message>
        <source>the file&apos;s charges cannot be read</source>
        <translation>no se pueden leer los cargos del archivo</translation>
    </message>
    <message>
        <source>the releasable time needs its time zone</source>
        <translation>la hora de puesta en libertad necesita su zona horaria</translation>
    </message>
    <message>
        <source>the time of the outcome needs its time zone</source>
        <translation>la hora del desenlace necesita su zona horaria</translation>
    </message>
    <message>
        <source>{value} is not an ISO 8601 date and time such as 2012-12-21T17:00</source>
        <translation>{value} no es una fecha y hora ISO 8601 como 2012-12-21T17:00</translation>
    </message>
    <message>
        <source>{value} does not exist in {zone} (the clocks skip it for daylight saving); give the time with its UTC offset</source>
        <translation>{value} no existe en {zone} (los relojes la saltan por el horario de verano); indique la hora con su desfase respecto de UTC</translation>
    </message>
    <message>
        <source>{date} is not a plausible date for a detainer (check the year)</source>
        <translation>{date} no es una fecha plausible para una orden de retención (revise el año)</translation>
    </message>
    <message>
        <source>detainer {detainer} is closed ({detainer_status}); its clock cannot change</source>
        <translation>la orden de retención {detainer} está cerrada ({detainer_status}); su plazo ya no puede cambiar</translation>
    </message>
    <message>
        <source>detainer {detainer} already has an outcome: {detainer_outcome}</source>
        <translation>la orden de retención {detainer} ya tiene un desenlace: {detainer_outcome}</translation>
    </message>
    <message>
        <source>record when the person becomes releasable first: the copy states the deadline</source>
        <translation>registre primero cuándo la persona puede quedar en libertad: la copia indica el plazo</translation>
    </message>
    <message>
        <source>the account cannot be added: {blockers}</source>
        <translation>no se puede añadir la cuenta: {blockers}</translation>
    </message>
    <message>
        <source>user name: 2-64 characters, lower-case letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;, starting with a letter or digit</source>
        <translation>nombre de usuario: de 2 a 64 caracteres, letras minúsculas, dígitos, &apos;.&apos;, &apos;_&apos; o &apos;-&apos;, empezando por una letra o un dígito</translation>
    </message>
    <message>
        <source>role: one of {roles}, not {value}</source>
        <translation>función: una de {roles}, no {value}</translation>
    </message>
    <message>
        <source>user name {user} is already taken</source>
        <translation>el nombre de usuario {user} ya está en uso</translation>
    </message>
    <message>
        <source>no account named {user}</source>
        <translation>no hay ninguna cuenta llamada {user}</translation>
    </message>
    <message>
        <source>this is the last active supervisor account; add another supervisor first</source>
        <translation>esta es la última cuenta de supervisor activa; añada antes otro supervisor</translation>
    </message>
    <message>
        <source>an ORI is 9 characters: 2 letters for the state, then 7 letters or digits</source>
        <translation>un ORI tiene 9 caracteres: 2 letras del estado y luego 7 letras o dígitos</translation>
    </message>
    <message>
        <source>an ORI starts with a US state code, not {value}</source>
        <translation>un ORI empieza por el código de un estado de EE. UU., no {value}</translation>
    </message>
    <message>
        <source>must be text, not {kind}</source>
        <translation>debe ser texto, no {kind}</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>no puede estar vacío</translation>
    </message>
    <message>
        <source>unknown time zone {value} (use an IANA name such as America/Chicago)</source>
        <translation>zona horaria desconocida {value} (use un nombre IANA como America/Chicago)</translation>
    </message>
    <message>
        <source>unknown US state code {value} (two letters, e.g. TX)</source>
        <translation>código de estado de EE. UU. desconocido {value} (dos letras, p. ej. TX)</translation>
    </message>
    <message>
        <source>must be {embedded} or an https:// URL (criminal-justice information never travels in clear), not {value}</source>
        <translation>debe ser {embedded} o una URL https:// (la información de justicia penal nunca viaja sin cifrar), no {value}</translation>
    </message>
    <message>
        <source>no such file: {path}</source>
        <translation>no existe el archivo: {path}</translation>
    </message>
    <message>
        <source>a backend at a URL needs the station&apos;s certificate files: backend_ca, backend_certificate and backend_key (make them with `booking-station pki issue --ori ORI`)</source>
        <translation>un servidor en una URL necesita los archivos de certificado de la estación: backend_ca, backend_certificate y backend_key (créelos con `booking-station pki issue --ori ORI`)</translation>
    </message>
    <message>
        <source>the certificate is for ORI {ori}, but agency_ori is {agency}</source>
        <translation>el certificado es del ORI {ori}, pero agency_ori es {agency}</translation>
    </message>
    <message>
        <source>this backend needs the station&apos;s certificate: {problem}</source>
        <translation>este servidor necesita el certificado de la estación: {problem}</translation>
    </message>
    <message>
        <source>must be true or false</source>
        <translation>debe ser verdadero o falso</translation>
    </message>
    <message>
        <source>must be a whole number from 0 to 100</source>
        <translation>debe ser un número entero de 0 a 100</translation>
    </message>
    <message>
        <source>must be from 0 to 100, not {value}</source>
        <translation>debe estar entre 0 y 100, no {value}</translation>
    </message>
    <message>
        <source>not a SQLAlchemy database URL: {value}</source>
        <translation>no es una URL de base de datos de SQLAlchemy: {value}</translation>
    </message>
    <message>
        <source>must be a list of hours, e.g. [12, 2]</source>
        <translation>debe ser una lista de horas, p. ej. [12, 2]</translation>
    </message>
    <message>
        <source>every entry must be a positive number of hours, not {value}</source>
        <translation>cada elemento debe ser un número positivo de horas, no {value}</translation>
    </message>
    <message>
        <source>must be one of {choices}, not {value}</source>
        <translation>debe ser uno de {choices}, no {value}</translation>
    </message>
    <message>
        <source>must be a whole number from {low} to {high}, not {value}</source>
        <translation>debe ser un número entero de {low} a {high}, no {value}</translation>
    </message>
    <message>
        <source>unknown key (known keys: {keys})</source>
        <translation>clave desconocida (claves conocidas: {keys})</translation>
    </message>
    <message>
        <source>the file is not a readable EBTS transaction: the problem is at byte {offset} (technical detail: {detail})</source>
        <translation>el archivo no es una transacción EBTS legible: el problema está en el byte {offset} (detalle técnico: {detail})</translation>
    </message>
    <message>
        <source>the file is not a readable EBTS transaction (technical detail: {detail})</source>
        <translation>el archivo no es una transacción EBTS legible (detalle técnico: {detail})</translation>
    </message>
    <message>
        <source>the deadline cannot be worked out (technical detail: {detail})</source>
        <translation>no se puede calcular el plazo (detalle técnico: {detail})</translation>
    </message>
    <message>
        <source>the copy cannot be made (technical detail: {detail})</source>
        <translation>no se puede hacer la copia (detalle técnico: {detail})</translation>
    </message>
    <message>
        <source>not valid TOML (technical detail: {detail})</source>
        <translation>no es TOML válido (detalle técnico: {detail})</translation>
    </message>
    <message>
        <source>not valid TOML at line {line}, column {column} (technical detail: {detail})</source>
        <translation>no es TOML válido en la línea {line}, columna {column} (detalle técnico: {detail})</translation>
    </message>
    <message>
        <source>capture_plan must be &apos;tenprint&apos; or &apos;flats&apos;, not {value}</source>
        <translation>capture_plan debe ser &apos;tenprint&apos; o &apos;flats&apos;, no {value}</translation>
    </message>
    <message>
        <source>the account {user} is locked after too many wrong passwords, until {until}; a supervisor can unlock it</source>
        <translation>la cuenta {user} está bloqueada por demasiadas contraseñas incorrectas hasta {until}; un supervisor puede desbloquearla</translation>
    </message>
    <message>
        <source>the current password is wrong; nothing was changed</source>
        <translation>la contraseña actual es incorrecta; no se cambió nada</translation>
    </message>
    <message>
        <source>the password does not follow the rules: {blockers}</source>
        <translation>la contraseña no cumple las reglas: {blockers}</translation>
    </message>
    <message>
        <source>at least {min} characters</source>
        <translation>al menos {min} caracteres</translation>
    </message>
    <message>
        <source>at most {max} characters</source>
        <translation>como máximo {max} caracteres</translation>
    </message>
    <message>
        <source>not a common password, dictionary word or name</source>
        <translation>no una contraseña común, palabra del diccionario ni nombre</translation>
    </message>
    <message>
        <source>not the user name or a variation of it</source>
        <translation>no el nombre de usuario ni una variación de él</translation>
    </message>
    <message>
        <source>not one of the last {count} passwords</source>
        <translation>no una de las últimas {count} contraseñas</translation>
    </message>
    <message>
        <source>booking {booking} is not ready to submit: {blockers}</source>
        <translation>el fichaje {booking} aún no se puede enviar: {blockers}</translation>
    </message>
    <message>
        <source>{field} ({tag}): {ebts_error}, error code {code}</source>
        <translation>{field} ({tag}): {ebts_error}, código de error {code}</translation>
    </message>
    <message>
        <source>{field} ({tag}) is {value}: {ebts_error}, error code {code}</source>
        <translation>{field} ({tag}) es {value}: {ebts_error}, código de error {code}</translation>
    </message>
    <message>
        <source>{tag}: {ebts_error}, error code {code}</source>
        <translation>{tag}: {ebts_error}, código de error {code}</translation>
    </message>
    <message>
        <source>{tag} is {value}: {ebts_error}, error code {code}</source>
        <translation>{tag} es {value}: {ebts_error}, código de error {code}</translation>
    </message>
    <message>
        <source>{field} ({tag}) is {value}: {ebts_error}; accepted: {allowed}, error code {code}</source>
        <translation>{field} ({tag}) es {value}: {ebts_error}; se acepta: {allowed}, código de error {code}</translation>
    </message>
    <message>
        <source>{tag} is {value}: {ebts_error}; accepted: {allowed}, error code {code}</source>
        <translation>{tag} es {value}: {ebts_error}; se acepta: {allowed}, código de error {code}</translation>
    </message>
    <message>
        <source>{url} needs the station&apos;s certificate: set backend_ca, backend_certificate and backend_key in the station&apos;s settings</source>
        <translation>{url} exige el certificado de la estación: indique backend_ca, backend_certificate y backend_key en la configuración de la estación</translation>
    </message>
    <message>
        <source>refused {url}: its certificate is not for the host in the address; the station talks only to the service its CA vouches for</source>
        <translation>se rechazó {url}: su certificado no es del servidor de esa dirección; la estación solo se comunica con el servicio que avala su autoridad de certificación</translation>
    </message>
    <message>
        <source>refused {url}: its certificate does not chain to the station&apos;s CA ({ca}); the station talks only to the service its CA vouches for</source>
        <translation>se rechazó {url}: su certificado no lo emitió la autoridad de certificación de la estación ({ca}); la estación solo se comunica con el servicio que esta avala</translation>
    </message>
    <message>
        <source>{url} did not answer in time</source>
        <translation>{url} no respondió a tiempo</translation>
    </message>
    <message>
        <source>{url} cannot be reached (the connection was refused or the host is unknown)</source>
        <translation>no se puede conectar con {url} (se rechazó la conexión o no se encuentra el servidor)</translation>
    </message>
    <message>
        <source>{url} did not answer ({error})</source>
        <translation>{url} no respondió ({error})</translation>
    </message>
    <message>
        <source>{url} refused this station&apos;s certificate for {request} ({status}): {detail}</source>
        <translation>{url} rechazó el certificado de esta estación para {request} ({status}): {detail}</translation>
    </message>
    <message>
        <source>{url} cannot answer now: {status} to {request}: {detail}</source>
        <translation>{url} no puede responder ahora: {status} a {request}: {detail}</translation>
    </message>
    <message>
        <source>{request} was refused ({status}): {detail}</source>
        <translation>se rechazó {request} ({status}): {detail}</translation>
    </message>
    <message>
        <source>mailbox message {id} has no readable body</source>
        <translation>el mensaje {id} del buzón no tiene un contenido legible</translation>
    </message>
    <message>
        <source>the station&apos;s database cannot be used now ({database}); the station tries again by itself</source>
        <translation>la base de datos de la estación no se puede usar ahora ({database}); la estación lo vuelve a intentar por sí sola</translation>
    </message>
    <message>
        <source>the link stopped on an unexpected error ({error}); the station&apos;s log has the details</source>
        <translation>el enlace se detuvo por un error inesperado ({error}); el registro de la estación tiene los detalles</translation>
    </message>
    <message>
        <source>the FBI rejected it: {errors}</source>
        <translation>el FBI lo rechazó: {errors}</translation>
    </message>
    <message>
        <source>the record of where the keyed chain starts is missing or was altered</source>
        <translation>falta o se alteró el dato de dónde empieza la cadena con clave</translation>
    </message>
    <message>
        <source>expected event {expected} here but found {found} (events missing)</source>
        <translation>aquí se esperaba el evento {expected}, pero está el {found} (faltan eventos)</translation>
    </message>
    <message>
        <source>expected event {expected} here but found {found} (events out of order)</source>
        <translation>aquí se esperaba el evento {expected}, pero está el {found} (eventos fuera de orden)</translation>
    </message>
    <message>
        <source>does not follow the event before it</source>
        <translation>no sigue al evento anterior</translation>
    </message>
    <message>
        <source>its content was changed after it was written</source>
        <translation>su contenido se modificó después de escribirse</translation>
    </message>
    <message>
        <source>the log ends at event {last} but {written} were written (events removed at the end)</source>
        <translation>el registro termina en el evento {last}, pero se escribieron {written} (se eliminaron eventos del final)</translation>
    </message>
    <message>
        <source>events {start} to {last} were removed: the backend holds the head of event {last}, anchored at {anchored}, and the log now ends at event {count}</source>
        <translation>se eliminaron los eventos {start} a {last}: el backend guarda la cabeza de cadena del evento {last}, anclada el {anchored}, y el registro termina ahora en el evento {count}</translation>
    </message>
    <message>
        <source>the log no longer matches the head the backend anchored for event {event}; it still matches the anchors through event {good}, so an event from {start} to {event} was changed and the chain recomputed (newest anchor not matched: {anchored})</source>
        <translation>el registro ya no coincide con la cabeza de cadena que el backend ancló para el evento {event}; sigue coincidiendo con las anclas hasta el evento {good}, así que se modificó un evento entre el {start} y el {event} y se recalculó la cadena (ancla más reciente sin coincidencia: {anchored})</translation>
    </message>
    <message>
        <source>the embedded FBI/DHS service needs a folder for its database</source>
        <translation>el servicio FBI/DHS integrado necesita una carpeta para su base de datos</translation>
    </message>
    <message>
        <source>the embedded FBI/DHS service stopped while starting (exit status {status}); its log is {log}</source>
        <translation>el servicio FBI/DHS integrado no pudo arrancar: se detuvo al iniciarse (código de salida {status}); su registro está en {log}</translation>
    </message>
    <message>
        <source>the embedded FBI/DHS service did not start within {seconds} s; its log is {log}</source>
        <translation>el servicio FBI/DHS integrado no pudo arrancar en {seconds} s; su registro está en {log}</translation>
    </message>
    <message>
        <source>the embedded FBI/DHS service is not running (it runs while the station&apos;s duties do)</source>
        <translation>el servicio FBI/DHS integrado no está en marcha (funciona mientras se ejecutan las tareas de la estación)</translation>
    </message>
    <message>
        <source>{value} is not an ORI: 9 letters or digits, e.g. VA0000000</source>
        <translation>{value} no es un ORI: 9 letras o cifras, p. ej. VA0000000</translation>
    </message>
    <message>
        <source>the certificate {path} does not exist</source>
        <translation>el certificado {path} no existe</translation>
    </message>
    <message>
        <source>the key {path} does not exist</source>
        <translation>la clave {path} no existe</translation>
    </message>
    <message>
        <source>{path} is not a PEM certificate</source>
        <translation>{path} no es un certificado PEM</translation>
    </message>
    <message>
        <source>{path} is not a PEM private key</source>
        <translation>{path} no es una clave privada PEM</translation>
    </message>
    <message>
        <source>the certificate {certificate} and the key {key} cannot be used together ({reason}); issue a new pair with `booking-station pki issue`</source>
        <translation>el certificado {certificate} y la clave {key} no se pueden usar juntos ({reason}); emita un par nuevo con `booking-station pki issue`</translation>
    </message>
    <message>
        <source>the certificate {certificate} was not issued by the CA {ca}</source>
        <translation>el certificado {certificate} no lo emitió la autoridad de certificación {ca}</translation>
    </message>
    <message>
        <source>the key {key} is not the key of the certificate {certificate}</source>
        <translation>la clave {key} no es la clave del certificado {certificate}</translation>
    </message>
    <message>
        <source>the certificate {certificate} expired on {date}</source>
        <translation>el certificado {certificate} caducó el {date}</translation>
    </message>
    <message>
        <source>the certificate {certificate} does not name a station, an administrator or the backend as this CA writes them</source>
        <translation>el certificado {certificate} no identifica una estación, un administrador ni el servidor tal como los escribe esta autoridad de certificación</translation>
    </message>
    <message>
        <source>{folder} already holds a CA; use another folder or the existing CA</source>
        <translation>{folder} ya contiene una autoridad de certificación; use otra carpeta o la autoridad existente</translation>
    </message>
    <message>
        <source>{folder} holds no certificate authority (ca.pem and private/ca.key); make one with: booking-station pki init --dir {folder}</source>
        <translation>{folder} no contiene ninguna autoridad de certificación (ca.pem y private/ca.key); créela con: booking-station pki init --dir {folder}</translation>
    </message>
    <message>
        <source>{path} is not this CA&apos;s kind of key (ECDSA)</source>
        <translation>{path} no es el tipo de clave de esta autoridad de certificación (ECDSA)</translation>
    </message>
    <message>
        <source>the backend&apos;s certificate needs at least one host name or address</source>
        <translation>el certificado del servidor necesita al menos un nombre de host o una dirección</translation>
    </message>
    <message>
        <source>an administrator&apos;s certificate needs a name of 1 to 64 characters</source>
        <translation>el certificado de un administrador necesita un nombre de 1 a 64 caracteres</translation>
    </message>
    <message>
        <source>this CA issued no certificate with serial {serial} (see `booking-station pki list`)</source>
        <translation>esta autoridad de certificación no emitió ningún certificado con el número de serie {serial} (vea `booking-station pki list`)</translation>
    </message>
    <message>
        <source>the revocation list {path} is missing</source>
        <translation>falta la lista de revocación {path}</translation>
    </message>
    <message>
        <source>the revocation list {path} is not a PEM CRL</source>
        <translation>la lista de revocación {path} no es una CRL en formato PEM</translation>
    </message>
    <message>
        <source>the revocation list {path} is not signed by the backend&apos;s CA</source>
        <translation>la lista de revocación {path} no está firmada por la autoridad de certificación del servidor</translation>
    </message>
    <message>
        <source>right</source>
        <translation>derecha</translation>
    </message>
    <message>
        <source>left</source>
        <translation>izquierda</translation>
    </message>
    <message>
        <source>rolled</source>
        <translation>rodada</translation>
    </message>
    <message>
        <source>plain</source>
        <translation>plana</translation>
    </message>
    <message>
        <source>right-slap</source>
        <translation>cuatro dedos derechos</translation>
    </message>
    <message>
        <source>left-slap</source>
        <translation>cuatro dedos izquierdos</translation>
    </message>
    <message>
        <source>two-thumbs</source>
        <translation>ambos pulgares</translation>
    </message>
    <message>
        <source>active</source>
        <translation>activa</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelada</translation>
    </message>
    <message>
        <source>lapsed</source>
        <translation>vencida</translation>
    </message>
    <message>
        <source>released</source>
        <translation>persona puesta en libertad</translation>
    </message>
    <message>
        <source>transferred</source>
        <translation>persona transferida a ICE</translation>
    </message>
    <message>
        <source>transferred to ICE custody</source>
        <translation>traslado a la custodia de ICE</translation>
    </message>
    <message>
        <source>cancelled by ICE</source>
        <translation>cancelada por ICE</translation>
    </message>
    <message>
        <source>January</source>
        <translation>enero</translation>
    </message>
    <message>
        <source>February</source>
        <translation>febrero</translation>
    </message>
    <message>
        <source>March</source>
        <translation>marzo</translation>
    </message>
    <message>
        <source>April</source>
        <translation>abril</translation>
    </message>
    <message>
        <source>May</source>
        <translation>mayo</translation>
    </message>
    <message>
        <source>June</source>
        <translation>junio</translation>
    </message>
    <message>
        <source>July</source>
        <translation>julio</translation>
    </message>
    <message>
        <source>August</source>
        <translation>agosto</translation>
    </message>
    <message>
        <source>September</source>
        <translation>septiembre</translation>
    </message>
    <message>
        <source>October</source>
        <translation>octubre</translation>
    </message>
    <message>
        <source>November</source>
        <translation>noviembre</translation>
    </message>
    <message>
        <source>December</source>
        <translation>diciembre</translation>
    </message>
    <message>
        <source>clerk</source>
        <translation>empleado de fichaje</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>supervisor</translation>
    </message>
    <message>
        <source>hardware-tester</source>
        <translation>técnico de pruebas</translation>
    </message>
    <message>
        <source>slaps, thumbs and ten rolled prints</source>
        <translation>planas de cuatro dedos, pulgares y diez huellas rodadas</translation>
    </message>
    <message>
        <source>flats only (4-4-2 slaps and thumbs)</source>
        <translation>solo planas (4-4-2: cuatro dedos y pulgares)</translation>
    </message>
    <message>
        <source>{text} (as recorded by an earlier version)</source>
        <translation>{text} (tal como lo registró una versión anterior de la estación)</translation>
    </message>
    <message>
        <source>something went wrong; the station&apos;s log has the details</source>
        <translation>algo salió mal; el registro de la estación tiene los detalles</translation>
    </message>
</context>
<context>
    <name>OffenseLevelCode</name>
    <message>
        <source>Felony</source>
        <translation>Delito grave</translation>
    </message>
    <message>
        <source>Misdemeanor</source>
        <translation>Delito menor</translation>
    </message>
</context>
<context>
    <name>OperatorsPage</name>
    <message>
        <source>User name</source>
        <translation>Nombre de usuario</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Nombre completo</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rol</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>&amp;Disable / enable selected</source>
        <translation>&amp;Desactivar / activar la seleccionada</translation>
    </message>
    <message>
        <source>U&amp;nlock selected</source>
        <translation>Des&amp;bloquear la seleccionada</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>Empleado de fichaje</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Hardware tester</source>
        <translation>Técnico de pruebas de equipos</translation>
    </message>
    <message>
        <source>at least %1 characters, not a common one</source>
        <translation>al menos %1 caracteres, que no sea una contraseña común</translation>
    </message>
    <message>
        <source>&amp;Add account</source>
        <translation>&amp;Agregar cuenta</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>Nombre de &amp;usuario</translation>
    </message>
    <message>
        <source>&amp;Full name</source>
        <translation>Nombre co&amp;mpleto</translation>
    </message>
    <message>
        <source>&amp;Role</source>
        <translation>&amp;Rol</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>Con&amp;traseña</translation>
    </message>
    <message>
        <source>R&amp;epeat password</source>
        <translation>Re&amp;petir contraseña</translation>
    </message>
    <message>
        <source>&lt;b&gt;New account&lt;/b&gt;</source>
        <translation>&lt;b&gt;Nueva cuenta&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Operators&lt;/h3&gt;Accounts that can log in to this station.</source>
        <translation>&lt;h3&gt;Operadores&lt;/h3&gt;Cuentas que pueden iniciar sesión en esta estación.</translation>
    </message>
    <message>
        <source>active</source>
        <translation>activa</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>desactivada</translation>
    </message>
    <message>
        <source>locked until %1 (too many wrong passwords)</source>
        <translation>bloqueada hasta las %1 (demasiadas contraseñas incorrectas)</translation>
    </message>
    <message>
        <source>%1 can log in again.</source>
        <translation>%1 puede volver a iniciar sesión.</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Las dos contraseñas no coinciden.</translation>
    </message>
    <message>
        <source>Added %1 (%2).</source>
        <translation>Se agregó %1 (%2).</translation>
    </message>
    <message>
        <source>Select an account first.</source>
        <translation>Primero seleccione una cuenta.</translation>
    </message>
    <message>
        <source>You cannot disable your own account.</source>
        <translation>No puede desactivar su propia cuenta.</translation>
    </message>
    <message>
        <source>%1 is now %2.</source>
        <translation>La cuenta %1 ahora está %2.</translation>
    </message>
</context>
<context>
    <name>RaceCode</name>
    <message>
        <source>Asian or Pacific Islander</source>
        <translation>Asiático o de las islas del Pacífico</translation>
    </message>
    <message>
        <source>Black</source>
        <translation>Negra</translation>
    </message>
    <message>
        <source>American Indian or Alaskan Native</source>
        <translation>Indígena americano o nativo de Alaska</translation>
    </message>
    <message>
        <source>White</source>
        <translation>Blanca</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Desconocida</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>&amp;Show</source>
        <translation>&amp;Mostrar</translation>
    </message>
    <message>
        <source>Save &amp;PDF and CSV…</source>
        <translation>Guardar &amp;PDF y CSV…</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>Cifra</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Cantidad</translation>
    </message>
    <message>
        <source>Detainer</source>
        <translation>Orden de retención</translation>
    </message>
    <message>
        <source>Booking</source>
        <translation>Fichaje</translation>
    </message>
    <message>
        <source>Releasable</source>
        <translation>Hora de liberación</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Plazo</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Terminó</translation>
    </message>
    <message>
        <source>How</source>
        <translation>Cómo</translation>
    </message>
    <message>
        <source>Hours over</source>
        <translation>Horas de exceso</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>How it was given</source>
        <translation>Cómo se entregó</translation>
    </message>
    <message>
        <source>Interpreter</source>
        <translation>Intérprete</translation>
    </message>
    <message>
        <source>Copies</source>
        <translation>Copias</translation>
    </message>
    <message>
        <source>Claim</source>
        <translation>Reclamación</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>&amp;Quarter:</source>
        <translation>&amp;Trimestre:</translation>
    </message>
    <message>
        <source>&lt;b&gt;Figures&lt;/b&gt;</source>
        <translation>&lt;b&gt;Cifras&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Every hold that went past its deadline&lt;/b&gt; (the target is none)</source>
        <translation>&lt;b&gt;Cada retención que pasó de su plazo&lt;/b&gt; (la meta es ninguna)</translation>
    </message>
    <message>
        <source>&lt;b&gt;Copies served, by language and by how they were given&lt;/b&gt;</source>
        <translation>&lt;b&gt;Copias entregadas, por idioma y por cómo se entregaron&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Citizenship and victim claims&lt;/b&gt;</source>
        <translation>&lt;b&gt;Reclamaciones de ciudadanía y de víctima&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Reports&lt;/h3&gt;The jail&apos;s quarterly detainer report, from the audit log and the detainers (the audit chain is verified first).</source>
        <translation>&lt;h3&gt;Informes&lt;/h3&gt;El informe trimestral de órdenes de retención de la cárcel, a partir del registro de auditoría y de las órdenes (primero se verifica la cadena de auditoría).</translation>
    </message>
    <message>
        <source>%1 (so far)</source>
        <translation>%1 (hasta hoy)</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Leyendo %1…</translation>
    </message>
    <message>
        <source>Could not make the report: %1</source>
        <translation>No se pudo hacer el informe: %1</translation>
    </message>
    <message>
        <source>%1: %2 to %3 (%4), %5 audit events read.</source>
        <translation>%1: del %2 al %3 (%4), %5 eventos de auditoría leídos.</translation>
    </message>
    <message>
        <source>Audit chain verified: %1 events, every link checked.</source>
        <translation>Cadena de auditoría verificada: %1 eventos, cada enlace comprobado.</translation>
    </message>
    <message>
        <source>Audit chain NOT verified (tampered at event %1: %2). These figures may not be what happened.</source>
        <translation>Cadena de auditoría NO verificada (alterada en el evento %1: %2). Estas cifras pueden no ser lo que ocurrió.</translation>
    </message>
    <message>
        <source>still held</source>
        <translation>aún retenido</translation>
    </message>
    <message>
        <source>no outcome recorded</source>
        <translation>sin resultado registrado</translation>
    </message>
    <message>
        <source>None: every hold ended by its deadline.</source>
        <translation>Ninguna: cada retención terminó dentro de su plazo.</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>recorded</source>
        <translation>registrada</translation>
    </message>
    <message>
        <source>Save the report into</source>
        <translation>Guardar el informe en</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Guardando…</translation>
    </message>
    <message>
        <source>Saved: %1 and %2 CSV files.</source>
        <translation>Guardado: %1 y %2 archivos CSV.</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>No se guardó: %1</translation>
    </message>
    <message>
        <source>Detainers received</source>
        <translation>Órdenes de retención recibidas</translation>
    </message>
    <message>
        <source>Releasable times recorded (the 48-hour clock started)</source>
        <translation>Horas de liberación registradas (comenzó el conteo de 48 horas)</translation>
    </message>
    <message>
        <source>Holds ended: transferred to ICE custody</source>
        <translation>Retenciones terminadas: transferido a la custodia de ICE</translation>
    </message>
    <message>
        <source>Holds ended: released</source>
        <translation>Retenciones terminadas: liberado</translation>
    </message>
    <message>
        <source>Holds ended: withdrawn or cancelled by ICE</source>
        <translation>Retenciones terminadas: retirada o cancelada por ICE</translation>
    </message>
    <message>
        <source>Hold authority lapsed before an outcome was recorded</source>
        <translation>La autoridad de retención venció antes de registrar un resultado</translation>
    </message>
    <message>
        <source>Holds past their deadline (target: none)</source>
        <translation>Retenciones que pasaron de su plazo (meta: ninguna)</translation>
    </message>
    <message>
        <source>Copies of the detainer served</source>
        <translation>Copias de la orden entregadas</translation>
    </message>
    <message>
        <source>Citizenship claims recorded</source>
        <translation>Reclamaciones de ciudadanía registradas</translation>
    </message>
    <message>
        <source>Victim claims recorded</source>
        <translation>Reclamaciones de víctima registradas</translation>
    </message>
    <message>
        <source>Wrong-person alerts raised</source>
        <translation>Alertas de persona equivocada emitidas</translation>
    </message>
    <message>
        <source>Wrong-person alerts acknowledged</source>
        <translation>Alertas de persona equivocada atendidas</translation>
    </message>
    <message>
        <source>Immigration responses declined by the agency&apos;s choice</source>
        <translation>Respuestas de inmigración rechazadas por decisión de la agencia</translation>
    </message>
    <message>
        <source>Detainer messages matching no booking</source>
        <translation>Mensajes de órdenes sin fichaje correspondiente</translation>
    </message>
    <message>
        <source>Detainer messages that could not be read</source>
        <translation>Mensajes de órdenes que no se pudieron leer</translation>
    </message>
    <message>
        <source>Cancellations matching no detainer</source>
        <translation>Cancelaciones sin orden correspondiente</translation>
    </message>
    <message>
        <source>of which after the deadline</source>
        <translation>de ellas, después del plazo</translation>
    </message>
    <message>
        <source>handed to the detainee</source>
        <translation>entregada en mano al detenido</translation>
    </message>
    <message>
        <source>read by an interpreter in person</source>
        <translation>leída por un intérprete en persona</translation>
    </message>
    <message>
        <source>read by an interpreter by phone</source>
        <translation>leída por un intérprete por teléfono</translation>
    </message>
    <message>
        <source>refused by the detainee</source>
        <translation>rechazada por el detenido</translation>
    </message>
    <message>
        <source>how it was given not recorded</source>
        <translation>no se registró cómo se entregó</translation>
    </message>
    <message>
        <source>citizenship claim</source>
        <translation>reclamación de ciudadanía</translation>
    </message>
    <message>
        <source>victim claim</source>
        <translation>reclamación de víctima</translation>
    </message>
    <message>
        <source>withdrawn</source>
        <translation>retirada</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>rechazada</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>pendiente</translation>
    </message>
    <message>
        <source>released</source>
        <translation>liberado</translation>
    </message>
    <message>
        <source>transferred to ICE custody</source>
        <translation>transferido a la custodia de ICE</translation>
    </message>
    <message>
        <source>withdrawn or cancelled by ICE</source>
        <translation>retirada o cancelada por ICE</translation>
    </message>
</context>
<context>
    <name>Responses</name>
    <message>
        <source>&amp;Submit to FBI</source>
        <translation>&amp;Enviar al FBI</translation>
    </message>
    <message>
        <source>Submit to FBI</source>
        <translation>Enviar al FBI</translation>
    </message>
    <message>
        <source>Resubmit corrected</source>
        <translation>Reenviar corregido</translation>
    </message>
    <message>
        <source>&amp;Retry now</source>
        <translation>&amp;Reintentar ahora</translation>
    </message>
    <message>
        <source>No answers yet.</source>
        <translation>Todavía no hay respuestas.</translation>
    </message>
    <message>
        <source>Not submitted yet.</source>
        <translation>Todavía no se ha enviado.</translation>
    </message>
    <message numerus="yes">
        <source>TCN {tcn}, %n attempt(s).</source>
        <translation>
            <numerusform>TCN {tcn}, %n intento.</numerusform>
            <numerusform>TCN {tcn}, %n intentos.</numerusform>
        </translation>
    </message>
    <message>
        <source>TCN {tcn}: correct the booking and resubmit.</source>
        <translation>TCN {tcn}: corrija el fichaje y vuelva a enviarlo.</translation>
    </message>
    <message>
        <source>TCN {tcn}.</source>
        <translation>TCN {tcn}.</translation>
    </message>
    <message>
        <source>The FBI/DHS service did not take it yet. The station keeps trying by itself; nothing is lost.</source>
        <translation>El servicio del FBI/DHS todavía no lo aceptó. La estación sigue intentándolo por sí sola; no se pierde nada.</translation>
    </message>
    <message>
        <source>Last attempt: {e}</source>
        <translation>Último intento: {e}</translation>
    </message>
    <message>
        <source>Resubmit &amp;corrected</source>
        <translation>Reenviar &amp;corregido</translation>
    </message>
    <message>
        <source>Building the submission…</source>
        <translation>Preparando el envío…</translation>
    </message>
    <message>
        <source>Cannot submit</source>
        <translation>No se puede enviar</translation>
    </message>
    <message>
        <source>Cannot retry</source>
        <translation>No se puede reintentar</translation>
    </message>
    <message>
        <source>FBI/DHS link: starting…</source>
        <translation>Enlace FBI/DHS: iniciando…</translation>
    </message>
    <message>
        <source>the station service</source>
        <translation>el servicio de la estación</translation>
    </message>
    <message>
        <source>another station window</source>
        <translation>otra ventana de la estación</translation>
    </message>
    <message>
        <source>FBI/DHS link: run by {who} on {host}</source>
        <translation>Enlace FBI/DHS: a cargo de {who} en {host}</translation>
    </message>
    <message>
        <source>no submission on its way</source>
        <translation>ningún envío en curso</translation>
    </message>
    <message>
        <source>FBI/DHS link: connected, backend preparing: {doing} · {waiting}</source>
        <translation>Enlace FBI/DHS: conectado, servidor preparándose: {doing} · {waiting}</translation>
    </message>
    <message>
        <source>Submissions are searched against the people enrolled so far: an identification is answered at once, &quot;no record&quot; once everyone is enrolled.</source>
        <translation>Los envíos se buscan entre las personas registradas hasta ahora: una identificación se responde al momento, «sin antecedentes» cuando todas estén registradas.</translation>
    </message>
    <message>
        <source>FBI/DHS link: connected · {waiting}</source>
        <translation>Enlace FBI/DHS: conectado · {waiting}</translation>
    </message>
    <message>
        <source>FBI/DHS link: starting… · {waiting}</source>
        <translation>Enlace FBI/DHS: iniciando… · {waiting}</translation>
    </message>
    <message>
        <source>FBI/DHS link: not reachable, retrying · {waiting}</source>
        <translation>Enlace FBI/DHS: sin conexión, reintentando · {waiting}</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>iniciando</translation>
    </message>
    <message>
        <source>loading its fingerprint files</source>
        <translation>cargando sus archivos de huellas</translation>
    </message>
    <message>
        <source>preparing its fingerprint files</source>
        <translation>preparando sus archivos de huellas</translation>
    </message>
    <message>
        <source>enrolling fingerprints {done} of {total} ({p} %)</source>
        <translation>registrando huellas {done} de {total} ({p} %)</translation>
    </message>
    <message>
        <source>, about {left} left</source>
        <translation>, faltan unos {left}</translation>
    </message>
    <message>
        <source>Name (Details page)</source>
        <translation>Nombre (página Datos)</translation>
    </message>
    <message>
        <source>Aliases (Details page)</source>
        <translation>Alias (página Datos)</translation>
    </message>
    <message>
        <source>Place of birth (Details page)</source>
        <translation>Lugar de nacimiento (página Datos)</translation>
    </message>
    <message>
        <source>Date of birth (Details page)</source>
        <translation>Fecha de nacimiento (página Datos)</translation>
    </message>
    <message>
        <source>Sex (Details page)</source>
        <translation>Sexo (página Datos)</translation>
    </message>
    <message>
        <source>Race (Details page)</source>
        <translation>Raza (página Datos)</translation>
    </message>
    <message>
        <source>Height (Details page)</source>
        <translation>Estatura (página Datos)</translation>
    </message>
    <message>
        <source>Weight (Details page)</source>
        <translation>Peso (página Datos)</translation>
    </message>
    <message>
        <source>Eye colour (Details page)</source>
        <translation>Color de ojos (página Datos)</translation>
    </message>
    <message>
        <source>Hair colour (Details page)</source>
        <translation>Color de cabello (página Datos)</translation>
    </message>
    <message>
        <source>Arrest date (Details page)</source>
        <translation>Fecha de arresto (página Datos)</translation>
    </message>
    <message>
        <source>Charges (Details page)</source>
        <translation>Cargos (página Datos)</translation>
    </message>
    <message>
        <source>detainer withdrawn</source>
        <translation>orden de retención retirada</translation>
    </message>
    <message>
        <source>refused, the detainer stands</source>
        <translation>rechazada, la orden de retención sigue vigente</translation>
    </message>
    <message>
        <source>pending, the detainer stands</source>
        <translation>pendiente, la orden de retención sigue vigente</translation>
    </message>
    <message>
        <source>U.S. citizen</source>
        <translation>ciudadano(a) de EE. UU.</translation>
    </message>
    <message>
        <source>victim of a crime</source>
        <translation>víctima de un delito</translation>
    </message>
    <message>
        <source>ICE: detainer lodged (Form {form})</source>
        <translation>ICE: orden de retención emitida (Formulario {form})</translation>
    </message>
    <message>
        <source>Amputated / unable to print (Capture page)</source>
        <translation>Amputado / imposible de registrar (página Captura)</translation>
    </message>
    <message>
        <source>Saturdays</source>
        <translation>sábados</translation>
    </message>
    <message>
        <source>Sundays</source>
        <translation>domingos</translation>
    </message>
    <message>
        <source>holidays</source>
        <translation>días feriados</translation>
    </message>
    <message>
        <source>{kind}: cannot be read</source>
        <translation>{kind}: no se puede leer</translation>
    </message>
    <message>
        <source>FBI: identified, FBI number {fbi}</source>
        <translation>FBI: identificado, número del FBI {fbi}</translation>
    </message>
    <message>
        <source>FBI: no record (non-identification)</source>
        <translation>FBI: sin antecedentes (no identificado)</translation>
    </message>
    <message numerus="yes">
        <source>FBI: rejected, %n error(s) to fix</source>
        <translation>
            <numerusform>FBI: rechazado, %n error por corregir</numerusform>
            <numerusform>FBI: rechazado, %n errores por corregir</numerusform>
        </translation>
    </message>
    <message>
        <source>DHS/ICE: immigration response, {status}</source>
        <translation>DHS/ICE: respuesta de inmigración, {status}</translation>
    </message>
    <message>
        <source>ICE: detainer cancelled</source>
        <translation>ICE: orden de retención cancelada</translation>
    </message>
    <message>
        <source>ICE: decision on the claim: {outcome}</source>
        <translation>ICE: decisión sobre la reclamación: {outcome}</translation>
    </message>
    <message>
        <source>Fingerprints (Capture page): retake fingers {n}</source>
        <translation>Huellas (página Captura): repita los dedos {n}</translation>
    </message>
    <message>
        <source>Fingerprints (Capture page): retake finger {n}</source>
        <translation>Huellas (página Captura): repita el dedo {n}</translation>
    </message>
    <message>
        <source>Fingerprints (Capture page)</source>
        <translation>Huellas (página Captura)</translation>
    </message>
    <message>
        <source>Station settings (agency ORI) or the station itself: tell your supervisor</source>
        <translation>Configuración de la estación (ORI de la agencia) o la estación misma: avise a su supervisor</translation>
    </message>
    <message>
        <source>See the message</source>
        <translation>Vea el mensaje</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Recibido</translation>
    </message>
    <message>
        <source>Name on file</source>
        <translation>Nombre registrado</translation>
    </message>
    <message>
        <source>FBI number</source>
        <translation>Número del FBI</translation>
    </message>
    <message>
        <source>Criminal history</source>
        <translation>Antecedentes penales</translation>
    </message>
    <message>
        <source>Fix these, then press “Resubmit corrected”.</source>
        <translation>Corrija estos datos y luego pulse «Reenviar corregido».</translation>
    </message>
    <message>
        <source>Where to fix</source>
        <translation>Dónde corregir</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problema</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Código</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estatus</translation>
    </message>
    <message>
        <source>Name in IDENT</source>
        <translation>Nombre en IDENT</translation>
    </message>
    <message>
        <source>Country of birth</source>
        <translation>País de nacimiento</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Fecha de nacimiento</translation>
    </message>
    <message>
        <source>Removable</source>
        <translation>Deportable</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>Detainer lodged</source>
        <translation>Orden de retención emitida</translation>
    </message>
    <message>
        <source>LESC case</source>
        <translation>Caso LESC</translation>
    </message>
    <message>
        <source>Encounters</source>
        <translation>Encuentros</translation>
    </message>
    <message>
        <source>{h} hours, not counting {days}</source>
        <translation>{h} horas, sin contar {days}</translation>
    </message>
    <message>
        <source>Detainer</source>
        <translation>Orden de retención</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>Formulario</translation>
    </message>
    <message>
        <source>Lodged</source>
        <translation>Emitida</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Persona</translation>
    </message>
    <message>
        <source>Issuing office</source>
        <translation>Oficina emisora</translation>
    </message>
    <message>
        <source>Hold limit</source>
        <translation>Límite de retención</translation>
    </message>
    <message>
        <source>Notice languages</source>
        <translation>Idiomas del aviso</translation>
    </message>
    <message>
        <source>The 48-hour clock and the detainee’s copy are on the Detainer page.</source>
        <translation>El conteo de 48 horas y la copia del detenido están en la página Orden de retención.</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelada</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>Claim</source>
        <translation>Reclamación</translation>
    </message>
    <message>
        <source>Decided</source>
        <translation>Decidida</translation>
    </message>
    <message>
        <source>LESC</source>
        <translation>LESC</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <source>Review the prints</source>
        <translation>Revise las huellas</translation>
    </message>
    <message>
        <source>Click a print to take it again.</source>
        <translation>Haga clic en una huella para tomarla de nuevo.</translation>
    </message>
    <message>
        <source>Capture plan: %1</source>
        <translation>Plan de captura: %1</translation>
    </message>
    <message>
        <source>Run sequence check</source>
        <translation>Verificar la secuencia</translation>
    </message>
    <message>
        <source>Retake the flagged fingers</source>
        <translation>Repetir los dedos señalados</translation>
    </message>
    <message>
        <source>Supervisor override of the sequence check…</source>
        <translation>Autorización del supervisor sobre la secuencia…</translation>
    </message>
    <message>
        <source>← Back to capture</source>
        <translation>← Volver a la captura</translation>
    </message>
    <message>
        <source>Submit prints (Ctrl+Enter)</source>
        <translation>Enviar las huellas (Ctrl+Intro)</translation>
    </message>
    <message>
        <source>The prints could not be read</source>
        <translation>No se pudieron leer las huellas</translation>
    </message>
    <message>
        <source>flagged by the sequence check</source>
        <translation>señalada por la verificación de secuencia</translation>
    </message>
    <message>
        <source>Flats only: no sequence check.</source>
        <translation>Solo planas: sin verificación de secuencia.</translation>
    </message>
    <message>
        <source>Checking the finger sequence…</source>
        <translation>Verificando la secuencia de los dedos…</translation>
    </message>
    <message>
        <source>Sequence check: not run yet.</source>
        <translation>Verificación de secuencia: todavía no se ejecutó.</translation>
    </message>
    <message>
        <source>Sequence check failed: %1</source>
        <translation>La verificación de secuencia falló: %1</translation>
    </message>
    <message>
        <source>Sequence check passed</source>
        <translation>Verificación de secuencia aprobada</translation>
    </message>
    <message>
        <source>Sequence check</source>
        <translation>Verificación de secuencia</translation>
    </message>
    <message>
        <source>Sequence check (overridden by %1: %2)</source>
        <translation>Verificación de secuencia (autorizada por %1: %2)</translation>
    </message>
    <message>
        <source>Not ready</source>
        <translation>No está listo</translation>
    </message>
    <message>
        <source>Sequence check failed</source>
        <translation>Falló la verificación de secuencia</translation>
    </message>
    <message>
        <source>Cannot retake</source>
        <translation>No se puede repetir</translation>
    </message>
    <message>
        <source>Accept the prints despite the sequence check</source>
        <translation>Aceptar las huellas a pesar de la verificación de secuencia</translation>
    </message>
    <message>
        <source>Cannot submit yet</source>
        <translation>Todavía no se puede enviar</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Federal holidays (as the detainer form says)</source>
        <translation>Festivos federales (como dice el formulario de la orden)</translation>
    </message>
    <message>
        <source>Federal and the state&apos;s holidays</source>
        <translation>Festivos federales y del estado</translation>
    </message>
    <message>
        <source>This agency receives immigration responses (IDENT/IAR)</source>
        <translation>Esta agencia recibe respuestas de inmigración (IDENT/IAR)</translation>
    </message>
    <message>
        <source>Agency &amp;ORI</source>
        <translation>&amp;ORI de la agencia</translation>
    </message>
    <message>
        <source>9 characters, e.g. VA0000000</source>
        <translation>9 caracteres, p. ej., VA0000000</translation>
    </message>
    <message>
        <source>Agency &amp;name</source>
        <translation>&amp;Nombre de la agencia</translation>
    </message>
    <message>
        <source>&amp;Time zone</source>
        <translation>&amp;Zona horaria</translation>
    </message>
    <message>
        <source>IANA name, e.g. America/Chicago</source>
        <translation>nombre IANA, p. ej., America/Chicago</translation>
    </message>
    <message>
        <source>&amp;State (holidays)</source>
        <translation>&amp;Estado (días feriados)</translation>
    </message>
    <message>
        <source>Detainer &amp;hold skips</source>
        <translation>La &amp;retención de la orden excluye</translation>
    </message>
    <message>
        <source>The 48-hour hold excludes Saturdays, Sundays and these holidays; the form says Federal holidays: choose the state&apos;s too only if your counsel requires it</source>
        <translation>La retención de 48 horas excluye sábados, domingos y estos festivos; el formulario dice festivos federales: elija también los del estado solo si su asesoría jurídica lo exige</translation>
    </message>
    <message>
        <source>&amp;Backend</source>
        <translation>&amp;Backend</translation>
    </message>
    <message>
        <source>&apos;embedded&apos; or https://…</source>
        <translation>&apos;embedded&apos; o https://…</translation>
    </message>
    <message>
        <source>Backend&apos;s CA certi&amp;ficate</source>
        <translation>Certi&amp;ficado de la CA del backend</translation>
    </message>
    <message>
        <source>ca.pem from `pki issue`; empty with &apos;embedded&apos;</source>
        <translation>ca.pem de `pki issue`; vacío con &apos;embedded&apos;</translation>
    </message>
    <message>
        <source>Station ce&amp;rtificate</source>
        <translation>Certificado de la es&amp;tación</translation>
    </message>
    <message>
        <source>station.pem from `pki issue --ori ORI`</source>
        <translation>station.pem de `pki issue --ori ORI`</translation>
    </message>
    <message>
        <source>Station &amp;key</source>
        <translation>C&amp;lave de la estación</translation>
    </message>
    <message>
        <source>station.key (readable by this account only)</source>
        <translation>station.key (legible solo por esta cuenta)</translation>
    </message>
    <message>
        <source>S&amp;canner</source>
        <translation>E&amp;scáner</translation>
    </message>
    <message>
        <source>&apos;virtual&apos; or a device id</source>
        <translation>&apos;virtual&apos; o el id de un dispositivo</translation>
    </message>
    <message>
        <source>&amp;Immigration</source>
        <translation>&amp;Inmigración</translation>
    </message>
    <message>
        <source>&amp;Quality threshold</source>
        <translation>&amp;Umbral de calidad</translation>
    </message>
    <message>
        <source>0–100</source>
        <translation>0–100</translation>
    </message>
    <message>
        <source>Detainer &amp;alerts (hours)</source>
        <translation>&amp;Alertas de retención (horas)</translation>
    </message>
    <message>
        <source>e.g. 12, 2</source>
        <translation>p. ej., 12, 2</translation>
    </message>
    <message>
        <source>&amp;Language (from the next start)</source>
        <translation>Idio&amp;ma (al próximo inicio)</translation>
    </message>
    <message>
        <source>Ca&amp;pture plan</source>
        <translation>&amp;Plan de captura</translation>
    </message>
    <message>
        <source>Which prints a booking takes; a booking already under way keeps its rolled prints</source>
        <translation>Qué huellas toma un fichaje; un fichaje ya en curso conserva sus huellas rodadas</translation>
    </message>
    <message>
        <source>&amp;Database</source>
        <translation>Base de &amp;datos</translation>
    </message>
    <message>
        <source>SQLAlchemy URL; empty: local file</source>
        <translation>URL de SQLAlchemy; vacío: archivo local</translation>
    </message>
    <message>
        <source>&amp;Save settings</source>
        <translation>&amp;Guardar configuración</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Settings&lt;/h3&gt;Saved to %1</source>
        <translation>&lt;h3&gt;Configuración&lt;/h3&gt;Se guarda en %1</translation>
    </message>
    <message>
        <source>hours as numbers separated by commas, e.g. 12, 2</source>
        <translation>horas como números separados por comas, p. ej., 12, 2</translation>
    </message>
    <message>
        <source>Not saved: correct the fields marked in red.</source>
        <translation>No se guardó: corrija los campos marcados en rojo.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Guardando…</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>No se guardó: %1</translation>
    </message>
    <message>
        <source>Saved. The new database and language are used from the next start.</source>
        <translation>Guardado. La nueva base de datos y el nuevo idioma se usan a partir del próximo inicio.</translation>
    </message>
    <message>
        <source>Saved. The new database is used from the next start.</source>
        <translation>Guardado. La nueva base de datos se usa a partir del próximo inicio.</translation>
    </message>
    <message>
        <source>Saved. The new language is used from the next start.</source>
        <translation>Guardado. El nuevo idioma se usa a partir del próximo inicio.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Guardado.</translation>
    </message>
</context>
<context>
    <name>SexCode</name>
    <message>
        <source>Male</source>
        <translation>Masculino</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>Femenino</translation>
    </message>
    <message>
        <source>Unknown / not reported</source>
        <translation>Desconocido / no informado</translation>
    </message>
</context>
<context>
    <name>Station</name>
    <message>
        <source>Booking Station</source>
        <translation>Estación de fichaje</translation>
    </message>
    <message>
        <source>The station cannot start.</source>
        <translation>La estación no puede iniciarse.</translation>
    </message>
    <message>
        <source>Something went wrong and the last action did not finish:

%1

Everything saved before is safe. Try again; if it happens again, tell your supervisor.</source>
        <translation>Algo salió mal y la última acción no terminó:

%1

Todo lo guardado antes está a salvo. Vuelva a intentarlo; si ocurre de nuevo, avise a su supervisor.</translation>
    </message>
</context>
<context>
    <name>SupervisorDialog</name>
    <message>
        <source>Supervisor override</source>
        <translation>Autorización del supervisor</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>Give a reason.</source>
        <translation>Indique un motivo.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Comprobando…</translation>
    </message>
</context>
<context>
    <name>_ChargeRow</name>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>AAAA-MM-DD</translation>
    </message>
    <message>
        <source>charge, e.g. Burglary, 2nd degree</source>
        <translation>cargo, p. ej., Robo en vivienda, 2.º grado</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Quitar</translation>
    </message>
</context>
</TS>
