// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// Sends ETH on to an address from inside a contract call: an "internal transfer" that a
/// scanner reading only transactions' `to` and `value` cannot see.
contract EtherForwarder {
    function forward(address payable to) external payable {
        (bool ok, ) = to.call{value: msg.value}("");
        require(ok, "forward failed");
    }
}
