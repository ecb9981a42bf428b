// Waits until the broker answers an admin client and a consumer group can form (kafkajs issue 1752:
// without replication factor 1 on internal topics the group coordinator never comes up).
const { Kafka, logLevel } = require('kafkajs');

async function main() {
  const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:19092').split(',');
  const kafka = new Kafka({
    clientId: 'nqpf-ready',
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
  const deadline = Date.now() + Number(process.env.KAFKA_READY_TIMEOUT_MS || 120000);
  for (;;) {
    try {
      const admin = kafka.admin();
      await admin.connect();
      await admin.listTopics();
      await admin.disconnect();
      const consumer = kafka.consumer({ groupId: 'nqpf-readiness' });
      await consumer.connect();
      await consumer.subscribe({ topics: [/^__nqpf-never$/] });
      await consumer.run({ eachMessage: async () => {} });
      await consumer.disconnect();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error('[nqpf] Kafka not ready:', err.message);
    process.exit(1);
  },
);
