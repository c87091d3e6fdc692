// Applies the bus description (deploy/bus.py's expansion, written by stack.py as tab-separated
// lines on stdin) to a SASL broker through Kafka's own Admin client: SCRAM users, topics, ACLs.
//
//   java -cp '<kafka libs>/*' ApplyBus.java <bootstrap> <admin user> <admin password> < lines
//
// Lines: `user NAME PASSWORD`, `topic NAME PARTITIONS REPLICATION k=v;k=v`,
//        `acl PRINCIPAL RESOURCE_TYPE PATTERN RESOURCE OPERATION`.
// Idempotent: users are upserted, existing topics kept, ACLs added when missing, and an ACL of
// a described principal that the description no longer grants is deleted. A single-file source
// program (java runs it without a build step) because stack.py has only the standard library
// and the JVM with the broker's jars; Python's Kafka clients live in the virtualenv.

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.common.acl.*;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.*;

public class ApplyBus {
    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", args[0]);
        props.put("security.protocol", "SASL_PLAINTEXT");
        props.put("sasl.mechanism", "SCRAM-SHA-512");
        props.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule "
                + "required username=\"" + args[1] + "\" password=\"" + args[2] + "\";");
        props.put("request.timeout.ms", "180000");
        props.put("default.api.timeout.ms", "600000");

        List<UserScramCredentialAlteration> users = new ArrayList<>();
        List<NewTopic> topics = new ArrayList<>();
        Set<AclBinding> wanted = new LinkedHashSet<>();
        Set<String> principals = new HashSet<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "user" -> users.add(new UserScramCredentialUpsertion(
                        f[1], new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), f[2]));
                case "topic" -> {
                    Map<String, String> config = new HashMap<>();
                    for (String pair : f[4].split(";")) {
                        if (!pair.isEmpty()) {
                            String[] kv = pair.split("=", 2);
                            config.put(kv[0], kv[1]);
                        }
                    }
                    topics.add(new NewTopic(f[1], Integer.parseInt(f[2]), Short.parseShort(f[3]))
                            .configs(config));
                }
                case "acl" -> {
                    String principal = "User:" + f[1];
                    principals.add(principal);
                    ResourcePattern pattern = new ResourcePattern(
                            resourceType(f[2]), f[4],
                            f[3].equals("prefix") ? PatternType.PREFIXED : PatternType.LITERAL);
                    wanted.add(new AclBinding(pattern, new AccessControlEntry(
                            principal, "*", AclOperation.fromString(f[5]), AclPermissionType.ALLOW)));
                }
                default -> throw new IllegalArgumentException("unknown line: " + line);
            }
        }
        try (Admin admin = Admin.create(props)) {
            if (!users.isEmpty()) admin.alterUserScramCredentials(users).all().get();
            Set<String> existing = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            int created = 0;
            for (List<NewTopic> chunk : chunks(missing, 500)) {
                try {
                    admin.createTopics(chunk).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) throw e;
                }
                created += chunk.size();
            }
            Collection<AclBinding> current = admin.describeAcls(AclBindingFilter.ANY).values().get();
            List<AclBindingFilter> stale = new ArrayList<>();
            for (AclBinding binding : current) {
                if (principals.contains(binding.entry().principal()) && !wanted.contains(binding)) {
                    stale.add(binding.toFilter());
                }
            }
            Set<AclBinding> have = new HashSet<>(current);
            List<AclBinding> add = wanted.stream().filter(b -> !have.contains(b)).toList();
            for (List<AclBinding> chunk : chunks(add, 2000)) admin.createAcls(chunk).all().get();
            for (List<AclBindingFilter> chunk : chunks(stale, 200)) admin.deleteAcls(chunk).all().get();
            System.out.printf("users=%d topics_created=%d acls=%d acls_added=%d acls_deleted=%d%n",
                    users.size(), created, wanted.size(), add.size(), stale.size());
        }
    }

    static ResourceType resourceType(String name) {
        return switch (name) {
            case "topic" -> ResourceType.TOPIC;
            case "group" -> ResourceType.GROUP;
            case "cluster" -> ResourceType.CLUSTER;
            case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
            default -> throw new IllegalArgumentException("unknown resource type " + name);
        };
    }

    static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            out.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return out;
    }
}
