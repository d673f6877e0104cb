"""Filtering a folder of images."""

from __future__ import annotations

BATCH_NO_INPUT_DIR = "batch_no_input_dir"
BATCH_OUT_NOT_DIR = "batch_out_not_dir"
BATCH_SAME_DIR = "batch_same_dir"
BATCH_SAME_TARGET = "batch_same_target"
BATCH_NESTED_DIR = "batch_nested_dir"
BATCH_NEEDS_STEP = "batch_needs_step"
BATCH_NO_IMAGES = "batch_no_images"
BATCH_SUMMARY = "batch_summary"
BATCH_DRY_RUN = "batch_dry_run"
BATCH_IGNORED = "batch_ignored"
BATCH_ALPHA_DROPPED = "batch_alpha_dropped"
BATCH_FAILED_ITEM = "batch_failed_item"
BATCH_INTERRUPTED = "batch_interrupted"
BATCH_BAD_PLAN = "batch_bad_plan"
BATCH_BAD_SETTINGS = "batch_bad_settings"
BATCH_OUT_CANNOT_CREATE = "batch_out_cannot_create"
BATCH_OUT_NOT_WRITABLE = "batch_out_not_writable"
BATCH_OTHER_SETTINGS = "batch_other_settings"
BATCH_BAD_MANIFEST = "batch_bad_manifest"
BATCH_REASON_EXISTS = "batch_reason_exists"
BATCH_REASON_REPLACES_INPUT = "batch_reason_replaces_input"
BATCH_REASON_BOMB = "batch_reason_bomb"
BATCH_REASON_NOT_IMAGE = "batch_reason_not_image"
BATCH_REASON_DAMAGED = "batch_reason_damaged"
BATCH_REASON_NO_READ_PERMISSION = "batch_reason_no_read_permission"
BATCH_REASON_CANNOT_WRITE = "batch_reason_cannot_write"
BATCH_REASON_TOO_LARGE = "batch_reason_too_large"
BATCH_REASON_UNEXPECTED = "batch_reason_unexpected"
BATCH_REASON_FOLDER = "batch_reason_folder"
BATCH_REASON_INSIDE_IN = "batch_reason_inside_in"
BATCH_REASON_WORKER_LOST = "batch_reason_worker_lost"
BATCH_REASON_READ = "batch_reason_read"
BATCH_NO_DASK = "batch_no_dask"
BATCH_NO_FSSPEC = "batch_no_fsspec"
BATCH_BAD_SCHEDULER = "batch_bad_scheduler"
BATCH_NO_SCHEDULER = "batch_no_scheduler"
BATCH_EMPTY_FOLDER = "batch_empty_folder"
BATCH_BAD_SCHEDULER_ADDRESS = "batch_bad_scheduler_address"
SCHEDULER_UNKNOWN_SCHEME = "scheduler_unknown_scheme"
SCHEDULER_INPROC = "scheduler_inproc"
SCHEDULER_NO_TLS = "scheduler_no_tls"
SCHEDULER_IPV6 = "scheduler_ipv6"
SCHEDULER_NO_PORT = "scheduler_no_port"
SCHEDULER_NO_HOST = "scheduler_no_host"
SCHEDULER_BAD_PORT = "scheduler_bad_port"
BATCH_URL_NEEDS_SCHEDULER = "batch_url_needs_scheduler"
BATCH_BAD_STORAGE = "batch_bad_storage"
HELP_SCHEDULER = "help_scheduler"
HELP_CONNECT_TIMEOUT = "help_connect_timeout"

MESSAGES: dict[str, dict[str, object]] = {
    BATCH_NO_INPUT_DIR: {
        "en": "{where}: not a folder; IN must be a folder of images",
        "es": "{where}: no es una carpeta; IN debe ser una carpeta de imágenes",
    },
    BATCH_OUT_NOT_DIR: {
        "en": "{where}: exists and is not a folder; OUT must be a folder (it is created if missing)",
        "es": "{where}: existe y no es una carpeta; OUT debe ser una carpeta (se crea si no existe)",
    },
    BATCH_SAME_TARGET: {
        "en": "{first} and {second} would both be written as {target}, and one would be lost; rename one of them, "
              "or keep each image's own format (leave out --format)",
        "es": "{first} y {second} se escribirían ambos como {target}, y uno se perdería; cambia el nombre de uno, "
              "o conserva el formato de cada imagen (quita --format)",
    },
    BATCH_SAME_DIR: {
        "en": "{where}: OUT is the input folder; choose another folder so no original is overwritten",
        "es": "{where}: OUT es la carpeta de entrada; elige otra carpeta para no sobrescribir ningún original",
    },
    BATCH_NESTED_DIR: {
        "en": "{where}: OUT and IN ({input}) contain one another; choose an OUT outside IN (and not around it), "
              "so nothing is ever written among the originals",
        "es": "{where}: OUT e IN ({input}) están uno dentro del otro; elige una OUT fuera de IN (y que no la "
              "contenga), para que nunca se escriba nada entre los originales",
    },
    BATCH_NEEDS_STEP: {
        "en": "say what to do: -k KERNEL, --pool MODE:SIZE, or both",
        "es": "indica qué hacer: -k KERNEL, --pool MODO:TAMAÑO, o ambos",
    },
    BATCH_NO_IMAGES: {
        "en": "{where}: no images found{pattern}",
        "es": "{where}: no se encontraron imágenes{pattern}",
    },
    BATCH_SUMMARY: {
        "en": "{done} done, {skipped} skipped (already there), {failed} failed in {seconds} s ({rate} images/s)",
        "es": "{done} {done:plural:hecha|hechas}, {skipped} {skipped:plural:omitida|omitidas} (ya {skipped:plural:existía|existían}), {failed} {failed:plural:fallida|fallidas} en {seconds} s ({rate} imágenes/s)",
    },
    BATCH_IGNORED: {
        "en": "{count} {count:plural:file|files} not read (no image suffix such as .png or .jpg): {names}; --pattern chooses which files are read",
        "es": "{count} {count:plural:archivo|archivos} sin leer (sin extensión de imagen como .png o .jpg): {names}; --pattern elige qué archivos se leen",
    },
    BATCH_ALPHA_DROPPED: {
        "en": "{count} {count:plural:image|images} lost {count:plural:its|their} transparency, which {fmt} cannot hold: {names}; --format png keeps it",
        "es": "{count} {count:plural:imagen perdió su transparencia|imágenes perdieron su transparencia}, que {fmt} no admite: {names}; --format png la conserva",
    },
    BATCH_DRY_RUN: {
        "en": "{planned} to write, {skipped} already there (dry run: nothing written)",
        "es": "{planned} por escribir, {skipped} ya {skipped:plural:existe|existen} (simulación: no se escribió nada)",
    },
    BATCH_FAILED_ITEM: {"en": "failed: {file}: {reason}", "es": "falló: {file}: {reason}"},
    BATCH_INTERRUPTED: {
        "en": "interrupted: finished images are complete, no partial file was left; run again to resume",
        "es": "interrumpido: las imágenes terminadas están completas, no quedó ningún archivo a medias; vuelve a ejecutar para continuar",
    },
    BATCH_BAD_PLAN: {
        "en": "batch setting {name} = {value} is not valid; use one of {choices}",
        "es": "el ajuste de lote {name} = {value} no es válido; usa uno de {choices}",
    },
    BATCH_BAD_SETTINGS: {
        "en": "the settings cannot be applied to any image ({reason}); nothing was read or written: fix the option and run again",
        "es": "los ajustes no se pueden aplicar a ninguna imagen ({reason}); no se leyó ni escribió nada: corrige la opción y vuelve a ejecutar",
    },
    BATCH_OUT_CANNOT_CREATE: {
        "en": "{where}: cannot create OUT ({reason}); create it yourself or choose a folder you can write to",
        "es": "{where}: no se puede crear OUT ({reason}); créala tú o elige una carpeta en la que puedas escribir",
    },
    BATCH_OUT_NOT_WRITABLE: {
        "en": "{where}: cannot write in OUT ({reason}); nothing was written: fix its permissions or choose another folder",
        "es": "{where}: no se puede escribir en OUT ({reason}); no se escribió nada: corrige sus permisos o elige otra carpeta",
    },
    BATCH_OTHER_SETTINGS: {
        "en": "{where}: OUT holds the results of a run with other settings ({changes}); nothing was written: "
              "run again with the same settings to resume, choose another OUT, or add --overwrite to redo every image",
        "es": "{where}: OUT contiene los resultados de una ejecución con otros ajustes ({changes}); no se escribió nada: "
              "vuelve a ejecutar con los mismos ajustes para continuar, elige otra OUT o añade --overwrite para rehacer todas las imágenes",
    },
    BATCH_BAD_MANIFEST: {
        "en": "{where}: this record of an earlier run's settings cannot be read ({reason}), so its outputs cannot be trusted; "
              "nothing was written: choose another OUT, or add --overwrite to redo every image",
        "es": "{where}: no se puede leer este registro de los ajustes de una ejecución anterior ({reason}), así que sus resultados "
              "no son fiables; no se escribió nada: elige otra OUT o añade --overwrite para rehacer todas las imágenes",
    },
    BATCH_REASON_EXISTS: {"en": "already there", "es": "ya existe"},
    BATCH_REASON_REPLACES_INPUT: {
        "en": "the output would replace the input",
        "es": "la salida reemplazaría la entrada",
    },
    BATCH_REASON_BOMB: {
        "en": "too large to open safely (decompression bomb?)",
        "es": "demasiado grande para abrirla con seguridad (¿bomba de descompresión?)",
    },
    BATCH_REASON_NOT_IMAGE: {"en": "not an image Pillow can read", "es": "no es una imagen que Pillow pueda leer"},
    BATCH_REASON_DAMAGED: {
        "en": "damaged or unreadable image ({reason})",
        "es": "imagen dañada o ilegible ({reason})",
    },
    BATCH_REASON_NO_READ_PERMISSION: {
        "en": "permission denied: cannot read the file; give yourself read access or leave it out",
        "es": "permiso denegado: no se puede leer el archivo; date permiso de lectura o déjalo fuera",
    },
    BATCH_REASON_CANNOT_WRITE: {
        "en": "cannot write {path} ({reason})",
        "es": "no se puede escribir {path} ({reason})",
    },
    BATCH_REASON_TOO_LARGE: {
        "en": "too large to filter with these settings ({reason}); use less padding or dilation, or a smaller image",
        "es": "demasiado grande para filtrar con estos ajustes ({reason}); usa menos relleno o dilatación, o una imagen más pequeña",
    },
    BATCH_REASON_UNEXPECTED: {
        "en": "unexpected error ({reason}); please report it",
        "es": "error inesperado ({reason}); por favor, infórmalo",
    },
    BATCH_REASON_INSIDE_IN: {
        "en": "the output folder leads into IN (through a link); nothing is ever written there",
        "es": "la carpeta de salida lleva a IN (por un enlace); allí nunca se escribe nada",
    },
    BATCH_REASON_FOLDER: {
        "en": "cannot read folder ({reason})",
        "es": "no se puede leer la carpeta ({reason})",
    },
    BATCH_REASON_WORKER_LOST: {
        "en": "the Dask worker filtering it was lost ({reason}); no half-written file was left: run again to resume",
        "es": "se perdió el trabajador de Dask que la filtraba ({reason}); no quedó ningún archivo a medias: vuelve a ejecutar para continuar",
    },
    BATCH_REASON_READ: {
        "en": "cannot read the file ({reason})",
        "es": "no se puede leer el archivo ({reason})",
    },
    BATCH_NO_DASK: {
        "en": "--scheduler needs Dask, which is not installed ({reason}); install it with: pip install 'convtrace[dask]'",
        "es": "--scheduler necesita Dask, que no está instalado ({reason}); instálalo con: pip install 'convtrace[dask]'",
    },
    BATCH_NO_FSSPEC: {
        "en": "{where}: folders given as URLs need fsspec ({reason}); install it with: pip install 'convtrace[dask]' "
              "(and the package for that storage: s3fs for s3://, gcsfs for gs://)",
        "es": "{where}: las carpetas dadas como URL necesitan fsspec ({reason}); instálalo con: pip install 'convtrace[dask]' "
              "(y el paquete de ese almacenamiento: s3fs para s3://, gcsfs para gs://)",
    },
    BATCH_BAD_SCHEDULER: {
        "en": "--scheduler {value}: not a scheduler address; use tcp://HOST:PORT (a running `dask scheduler`), "
              "local (a Dask cluster on this machine, one worker per CPU) or local:N (N workers)",
        "es": "--scheduler {value}: no es una dirección de planificador; usa tcp://HOST:PUERTO (un `dask scheduler` en marcha), "
              "local (un clúster Dask en esta máquina, un trabajador por CPU) o local:N (N trabajadores)",
    },
    BATCH_EMPTY_FOLDER: {
        "en": "{name} is empty ({shown}), as an unset shell variable gives; give a folder: IN holds the images, "
              "OUT receives the results",
        "es": "{name} está vacío ({shown}), como da una variable de la shell sin definir; da una carpeta: IN "
              "tiene las imágenes, OUT recibe los resultados",
    },
    BATCH_BAD_SCHEDULER_ADDRESS: {
        "en": "--scheduler {value}: {why}; nothing was written. Use tcp://HOST:PORT (a running `dask scheduler`, "
              "e.g. tcp://head:8786), local or local:N",
        "es": "--scheduler {value}: {why}; no se escribió nada. Usa tcp://HOST:PUERTO (un `dask scheduler` en marcha, "
              "p. ej. tcp://head:8786), local o local:N",
    },
    SCHEDULER_UNKNOWN_SCHEME: {
        "en": "Dask has no protocol '{scheme}' (it speaks {known})",
        "es": "Dask no tiene el protocolo '{scheme}' (usa {known})",
    },
    SCHEDULER_INPROC: {
        "en": "an inproc:// scheduler can be reached only from inside the program that started it",
        "es": "a un planificador inproc:// solo se llega desde dentro del programa que lo inició",
    },
    SCHEDULER_NO_TLS: {
        "en": "{scheme}:// needs certificates, and Dask's configuration names none (distributed.comm.tls)",
        "es": "{scheme}:// necesita certificados y la configuración de Dask no nombra ninguno (distributed.comm.tls)",
    },
    SCHEDULER_IPV6: {
        "en": "an IPv6 address goes in brackets before its port, e.g. tcp://[::1]:8786",
        "es": "una dirección IPv6 va entre corchetes antes de su puerto, p. ej. tcp://[::1]:8786",
    },
    SCHEDULER_NO_PORT: {
        "en": "no port: a scheduler listens on one, e.g. {scheme}://head:8786",
        "es": "falta el puerto: un planificador escucha en uno, p. ej. {scheme}://head:8786",
    },
    SCHEDULER_NO_HOST: {
        "en": "no host before the port, e.g. {scheme}://head:{port}",
        "es": "falta la máquina antes del puerto, p. ej. {scheme}://head:{port}",
    },
    SCHEDULER_BAD_PORT: {
        "en": "the port '{port}' is not a number from 1 to 65535",
        "es": "el puerto '{port}' no es un número del 1 al 65535",
    },
    BATCH_NO_SCHEDULER: {
        "en": "{address}: cannot reach the Dask scheduler in {seconds} s ({reason}); nothing was written: "
              "start it (`dask scheduler`), check the address, or wait longer with --connect-timeout",
        "es": "{address}: no se puede contactar con el planificador de Dask en {seconds} s ({reason}); no se escribió nada: "
              "inícialo (`dask scheduler`), comprueba la dirección o espera más con --connect-timeout",
    },
    BATCH_URL_NEEDS_SCHEDULER: {
        "en": "{where}: folders given as URLs are filtered on a Dask cluster; add --scheduler local (this machine) "
              "or --scheduler tcp://HOST:PORT",
        "es": "{where}: las carpetas dadas como URL se filtran en un clúster Dask; añade --scheduler local (esta máquina) "
              "o --scheduler tcp://HOST:PUERTO",
    },
    BATCH_BAD_STORAGE: {
        "en": "{where}: cannot open this storage ({reason})",
        "es": "{where}: no se puede abrir este almacenamiento ({reason})",
    },
    HELP_SCHEDULER: {
        "en": "Run on a Dask cluster: tcp://HOST:PORT of a running scheduler, or local / local:N for N worker "
              "processes on this machine. IN and OUT must be paths every worker sees (or URLs: s3://, gs://).",
        "es": "Ejecutar en un clúster Dask: tcp://HOST:PUERTO de un planificador en marcha, o local / local:N para N "
              "procesos trabajadores en esta máquina. IN y OUT deben ser rutas que vean todos los trabajadores (o URL: s3://, gs://).",
    },
    HELP_CONNECT_TIMEOUT: {
        "en": "Seconds to wait for the Dask scheduler before giving up.",
        "es": "Segundos de espera al planificador de Dask antes de desistir.",
    },
}
