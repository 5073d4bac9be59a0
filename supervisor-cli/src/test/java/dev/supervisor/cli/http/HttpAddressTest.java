package dev.supervisor.cli.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HttpAddressTest {

    @Test
    void aPortAloneListensOnLoopback() {
        HttpAddress address = HttpAddress.parse("8080");
        assertThat(address.host()).isEqualTo("127.0.0.1");
        assertThat(address.socket().getPort()).isEqualTo(8080);
        assertThat(address.loopback()).isTrue();
    }

    @Test
    void anAddressAndAPort() {
        assertThat(HttpAddress.parse("0.0.0.0:9000").loopback()).isFalse();
        assertThat(HttpAddress.parse("localhost:9000").loopback()).isTrue();
        HttpAddress v6 = HttpAddress.parse("[::1]:9000");
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6.loopback()).isTrue();
    }

    @Test
    void malformedAddressesSayWhatIsWrong() {
        assertThatThrownBy(() -> HttpAddress.parse("web")).hasMessage("--http web: 'web' is not a port number; give "
                + "[ADDR:]PORT, e.g. 8080 or 127.0.0.1:8080");
        assertThatThrownBy(() -> HttpAddress.parse("1:2:3")).hasMessageContaining("write an IPv6 address in brackets");
        assertThatThrownBy(() -> HttpAddress.parse(":80")).hasMessageContaining("the address before ':' is empty");
        assertThatThrownBy(() -> HttpAddress.parse("65536")).hasMessageContaining("within 0..65535, was 65536");
        assertThatThrownBy(() -> HttpAddress.parse("no-such-host.invalid:80")).hasMessageContaining("does not resolve");
    }
}
