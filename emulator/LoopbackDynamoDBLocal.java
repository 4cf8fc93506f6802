// Starts AWS's DynamoDB Local bound to 127.0.0.1 only.
// DynamoDB Local has no host option and listens on every interface; a test database reachable from the
// network is a hole, so this launcher sets the host of its Jetty connector before the server starts.
// Run as a single-file program (java ... LoopbackDynamoDBLocal.java <DynamoDB Local arguments>): nothing is
// compiled to disk. With "-port 0" Jetty picks a free port; the first line on stdout reports it.
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class LoopbackDynamoDBLocal {
  public static void main(String[] args) throws Exception {
    // DynamoDB Local refuses "-port 0"; parse with a placeholder and give the connector port 0 ourselves.
    boolean anyPort = false;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("-port") && args[i + 1].equals("0")) {
        args[i + 1] = "8000";
        anyPort = true;
      }
    }
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    ServerConnector bound = null;
    for (Connector connector : server.getConnectors()) {
      if (connector instanceof ServerConnector) {
        bound = (ServerConnector) connector;
        bound.setHost("127.0.0.1");
        if (anyPort) bound.setPort(0);
      }
    }
    if (bound == null) throw new IllegalStateException("DynamoDB Local has no network connector to bind");
    proxy.start();
    System.out.println("DYNAMODB_LOCAL_LISTENING " + bound.getHost() + ":" + bound.getLocalPort());
    System.out.flush();
    proxy.join();
  }
}
