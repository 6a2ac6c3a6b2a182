package io.verger.modules.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Gogo console for operators, on 127.0.0.1 only (never another address): {@code nc 127.0.0.1 8101}, then e.g.
 * {@code verger:modules}, {@code verger:install /path/x.jar}, {@code lb}. The port comes from the configuration
 * (PID {@value #PID}) or the framework property {@code verger.console.port} (env {@code VERGER_CONSOLE_PORT});
 * 0 turns it off. A busy port is logged and the server carries on.
 */
@Component(configurationPid = LocalConsole.PID, immediate = true)
@Designate(ocd = LocalConsole.Config.class)
public final class LocalConsole {

    static final String PID = "io.verger.console";
    private static final Logger LOG = LoggerFactory.getLogger(LocalConsole.class);
    static final int MAX_SESSIONS = 4;

    @ObjectClassDefinition(name = "Verger console", description = "Gogo shell on 127.0.0.1")
    @interface Config {
        @AttributeDefinition(description = "TCP port on 127.0.0.1; -1 takes verger.console.port (default 8101); 0 turns the console off")
        int port() default -1;
    }

    private final CommandProcessor processor;
    private ServerSocket server;
    private ExecutorService sessions;
    private final Semaphore slots = new Semaphore(MAX_SESSIONS);

    @Activate
    public LocalConsole(@Reference CommandProcessor processor, Config config, BundleContext context) {
        this.processor = processor;
        int port = config.port();
        if (port < 0) {
            String p = context.getProperty("verger.console.port");
            try {
                port = p == null || p.isBlank() ? 8101 : Integer.parseInt(p.trim());
            } catch (NumberFormatException e) {
                LOG.warn("verger.console.port '{}' is not a number; console off", p);
                port = 0;
            }
        }
        if (port == 0) {
            return;
        }
        try {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
            server = s;
        } catch (IOException e) {
            LOG.warn("Console not started: cannot listen on 127.0.0.1:{} ({})", port, e.getMessage());
            return;
        }
        sessions = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "verger-console");
            t.setDaemon(true);
            return t;
        });
        sessions.submit(this::acceptLoop);
        LOG.info("Gogo console listening on 127.0.0.1:{}", port);
    }

    @Deactivate
    void deactivate() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        if (sessions != null) {
            sessions.shutdownNow();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                if (!slots.tryAcquire()) {
                    socket.getOutputStream().write("too many console sessions\n".getBytes(StandardCharsets.UTF_8));
                    socket.close();
                    continue;
                }
                sessions.submit(() -> {
                    try {
                        serve(socket);
                    } finally {
                        slots.release();
                    }
                });
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.debug("Console accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                PrintStream out = new PrintStream(socket.getOutputStream(), true, StandardCharsets.UTF_8)) {
            CommandSession session = processor.createSession(socket.getInputStream(), out, out);
            out.println("Verger console. Commands: verger:modules, verger:install <jar>, verger:update <id> <jar>, verger:uninstall <id>, lb, exit");
            while (true) {
                out.print("verger> ");
                out.flush();
                String line = in.readLine();
                if (line == null || line.trim().equals("exit") || line.trim().equals("quit")) {
                    break;
                }
                if (line.isBlank()) {
                    continue;
                }
                try {
                    Object result = session.execute(line);
                    if (result != null) {
                        out.println(session.format(result, Converter.INSPECT));
                    }
                } catch (Exception e) {
                    out.println("error: " + e.getMessage());
                }
            }
            session.close();
        } catch (IOException e) {
            LOG.debug("Console session ended: {}", e.getMessage());
        }
    }
}
